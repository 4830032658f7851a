using SecurityOperator.Yaml;
using static SecurityOperator.Tests.Yaml.YamlTestHelpers;

namespace SecurityOperator.Tests.Yaml;

/// <summary>Plain-scalar typing as sigs.k8s.io/yaml (go-yaml v2 resolve.go) does it.</summary>
public class YamlScalarTests
{
    [Theory]
    // go-yaml v2 bools: exactly these spellings.
    [InlineData("y", "true")]
    [InlineData("Y", "true")]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("YES", "true")]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("on", "true")]
    [InlineData("On", "true")]
    [InlineData("ON", "true")]
    [InlineData("n", "false")]
    [InlineData("N", "false")]
    [InlineData("no", "false")]
    [InlineData("No", "false")]
    [InlineData("NO", "false")]
    [InlineData("false", "false")]
    [InlineData("False", "false")]
    [InlineData("FALSE", "false")]
    [InlineData("off", "false")]
    [InlineData("Off", "false")]
    [InlineData("OFF", "false")]
    // Other casings are strings.
    [InlineData("yES", "\"yES\"")]
    [InlineData("tRUE", "\"tRUE\"")]
    [InlineData("oN", "\"oN\"")]
    [InlineData("t", "\"t\"")]
    // null
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("Null", "null")]
    [InlineData("NULL", "null")]
    [InlineData("", "null")]
    [InlineData("nULL", "\"nULL\"")]
    // ints
    [InlineData("0", "0")]
    [InlineData("42", "42")]
    [InlineData("-17", "-17")]
    [InlineData("+17", "17")]
    [InlineData("1_000_000", "1000000")]
    [InlineData("0x1F", "31")]
    [InlineData("0X1f", "31")]
    [InlineData("-0x10", "-16")]
    [InlineData("0o17", "15")]
    [InlineData("0777", "511")]
    [InlineData("0b101", "5")]
    [InlineData("-0b101", "-5")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    // floats, formatted as Go's encoding/json does
    [InlineData("1.5", "1.5")]
    [InlineData("-0.25", "-0.25")]
    [InlineData(".5", "0.5")]
    [InlineData("1e3", "1000")]
    [InlineData("1.0", "1")]
    [InlineData("1.", "1")]
    [InlineData("6.02e23", "6.02e+23")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("09", "9")]
    [InlineData("18446744073709551616", "18446744073709552000")]
    // strings
    [InlineData("1e400", "\"1e400\"")]
    [InlineData("0x", "\"0x\"")]
    [InlineData("1.2.3", "\"1.2.3\"")]
    [InlineData("100m", "\"100m\"")]
    [InlineData("1Gi", "\"1Gi\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("2001-12-14t21:59:43.10-05:00", "\"2001-12-14t21:59:43.10-05:00\"")]
    [InlineData("-x", "\"-x\"")]
    [InlineData("-.5", "-0.5")]
    [InlineData("a#b", "\"a#b\"")]
    [InlineData("http://x:80/y", "\"http://x:80/y\"")]
    [InlineData("<<", "\"<<\"")]
    [InlineData("日本", "\"日本\"")]
    public void Plain_scalars_resolve_like_go_yaml_v2(string scalar, string json) => Assert.Equal(json, Value(scalar));

    [Theory]
    [InlineData("\"true\"", "\"true\"")]
    [InlineData("'yes'", "\"yes\"")]
    [InlineData("\"123\"", "\"123\"")]
    [InlineData("'~'", "\"~\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("''", "\"\"")]
    public void Quoted_scalars_are_always_strings(string scalar, string json) => Assert.Equal(json, Value(scalar));

    [Theory]
    [InlineData("!!str 123", "\"123\"")]
    [InlineData("!!str true", "\"true\"")]
    [InlineData("! 123", "\"123\"")]
    [InlineData("!!int \"42\"", "42")]
    [InlineData("!!int 0x10", "16")]
    [InlineData("!!bool yes", "true")]
    [InlineData("!!float 1", "1")]
    [InlineData("!!float 2.5", "2.5")]
    [InlineData("!!null ~", "null")]
    [InlineData("!!null", "null")]
    [InlineData("!<tag:yaml.org,2002:str> 7", "\"7\"")]
    public void Explicit_tags_force_the_type(string scalar, string json) => Assert.Equal(json, Value(scalar));

    [Theory]
    [InlineData("!!int abc", "cannot decode !!str `abc` as a !!int")]
    [InlineData("!!bool 1", "cannot decode !!int `1` as a !!bool")]
    [InlineData("!!null x", "cannot decode !!str `x` as a !!null")]
    [InlineData("!custom x", "unsupported tag '!custom'")]
    [InlineData("!!binary aGk=", "unsupported tag '!!binary'")]
    [InlineData(".inf", "cannot be represented in JSON")]
    [InlineData("-.Inf", "cannot be represented in JSON")]
    [InlineData(".NaN", "cannot be represented in JSON")]
    public void Bad_tags_and_unrepresentable_values_are_errors(string scalar, string problem)
    {
        YamlException error = Fails("v: " + scalar + "\n");
        Assert.Contains(problem, error.Problem);
        Assert.Equal(1, error.Line);
        Assert.StartsWith("bad.yaml:1:", error.Message);
    }

    [Theory]
    [InlineData("1: a", "{\"1\":\"a\"}")]
    [InlineData("0x10: a", "{\"16\":\"a\"}")]
    [InlineData("true: a", "{\"true\":\"a\"}")]
    [InlineData("on: a", "{\"true\":\"a\"}")]
    [InlineData("1.5: a", "{\"1.5\":\"a\"}")]
    [InlineData("1e7: a", "{\"1e+07\":\"a\"}")]
    [InlineData("\"1\": a", "{\"1\":\"a\"}")]
    public void Non_string_keys_become_strings_as_sigs_k8s_io_yaml_does(string yaml, string json) =>
        Assert.Equal(json, Json(yaml));

    [Fact]
    public void A_null_key_is_an_error()
    {
        YamlException error = Fails("a: 1\n~: 2\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("null mapping key", error.Problem);
    }
}
