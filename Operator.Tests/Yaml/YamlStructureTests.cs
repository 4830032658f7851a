using System.Text;
using SecurityOperator.Yaml;
using static SecurityOperator.Tests.Yaml.YamlTestHelpers;

namespace SecurityOperator.Tests.Yaml;

public class YamlStructureTests
{
    [Theory]
    [InlineData("a: 1\nb: x\n", "{\"a\":1,\"b\":\"x\"}")]
    [InlineData("a:\n  b:\n    c: d\n", "{\"a\":{\"b\":{\"c\":\"d\"}}}")]
    [InlineData("- a\n- b\n", "[\"a\",\"b\"]")]
    [InlineData("a:\n  - x\n  - z\n", "{\"a\":[\"x\",\"z\"]}")]
    // "compact" sequence at the same indent as its key, as kubectl and most charts write it
    [InlineData("a:\n- x\n- z\nb: 1\n", "{\"a\":[\"x\",\"z\"],\"b\":1}")]
    // go-yaml v2 reads y/n as booleans, keys included
    [InlineData("- y\n- n\n- x\n", "[true,false,\"x\"]")]
    [InlineData("y: 1\nn: 2\n", "{\"true\":1,\"false\":2}")]
    [InlineData("c:\n- name: nn\n  image: i\n- name: m\nd: 2\n", "{\"c\":[{\"name\":\"nn\",\"image\":\"i\"},{\"name\":\"m\"}],\"d\":2}")]
    [InlineData("- - a\n  - b\n- c\n", "[[\"a\",\"b\"],\"c\"]")]
    [InlineData("- a: 1\n  b: 2\n-\n  c: 3\n", "[{\"a\":1,\"b\":2},{\"c\":3}]")]
    [InlineData("a:\nb: ~\n", "{\"a\":null,\"b\":null}")]
    [InlineData("- \n- x\n", "[null,\"x\"]")]
    [InlineData("  a: 1\n  b: 2\n", "{\"a\":1,\"b\":2}")]
    [InlineData("a: b c  \n", "{\"a\":\"b c\"}")]
    [InlineData("a: multi\n  line\n\n  plain\n", "{\"a\":\"multi line\\nplain\"}")]
    [InlineData("key with spaces: v\n", "{\"key with spaces\":\"v\"}")]
    [InlineData("\"quoted key\": v\n'k2': w\n", "{\"quoted key\":\"v\",\"k2\":\"w\"}")]
    [InlineData("a: 1 # comment\n# whole line\nb: 2 #c\n", "{\"a\":1,\"b\":2}")]
    [InlineData("a: x#y\n", "{\"a\":\"x#y\"}")]
    [InlineData("url: http://example.com:8080/a\n", "{\"url\":\"http://example.com:8080/a\"}")]
    [InlineData("a:   \t  1\n", "{\"a\":1}")]
    [InlineData("a: 1\r\nb: 2\r\n", "{\"a\":1,\"b\":2}")]
    [InlineData("\uFEFFa: 1\n", "{\"a\":1}")]
    [InlineData("a: 'it''s'\n", "{\"a\":\"it's\"}")]
    [InlineData("a: \"x\\ty\\n\\\"q\\\" \\\\ \\/ \\u00e9 \\x41 \\U0001F600 \\uD83D\\uDE00\"\n", "{\"a\":\"x\\ty\\n\\\"q\\\" \\\\ / é A \\uD83D\\uDE00 \\uD83D\\uDE00\"}")]
    [InlineData("a: \"one\n  two\n\n  three\"\n", "{\"a\":\"one two\\nthree\"}")]
    [InlineData("a: \"join\\\n   ed\"\n", "{\"a\":\"joined\"}")]
    [InlineData("a: 'one\n  two'\n", "{\"a\":\"one two\"}")]
    [InlineData("a: <b>&</b>\n", "{\"a\":\"<b>&</b>\"}")]
    public void Block_structure_and_scalars(string yaml, string json) => Assert.Equal(json, Json(yaml));

    [Theory]
    [InlineData("a: |\n  x\n  y\n", "x\ny\n")]
    [InlineData("a: |-\n  x\n  y\n", "x\ny")]
    [InlineData("a: |+\n  x\n\n\nb: 1\n", "x\n\n\n")]
    [InlineData("a: |\n  x\n\n\n", "x\n")]
    [InlineData("a: |\n  x\n    indented\n  y\n", "x\n  indented\ny\n")]
    [InlineData("a: |\n\n  after blank\n", "\nafter blank\n")]
    [InlineData("a: |2\n    two extra\n  base\n", "  two extra\nbase\n")]
    [InlineData("a: |-2\n    x\n", "  x")]
    [InlineData("a: |2-\n    x\n", "  x")]
    [InlineData("a: >\n  folded\n  text\n\n  para\n", "folded text\npara\n")]
    [InlineData("a: >-\n  x\n  y\n", "x y")]
    [InlineData("a: >\n  x\n    more\n  y\n", "x\n  more\ny\n")]
    [InlineData("a: | # comment\n  x\n", "x\n")]
    [InlineData("a: |\n  #not a comment\n", "#not a comment\n")]
    [InlineData("a: |\nb: 1\n", "")]
    [InlineData("- |\n  in seq\n- x\n", null)]
    public void Block_scalars(string yaml, string? expected)
    {
        string json = Json(yaml);
        if (expected is null)
        {
            Assert.Equal("[\"in seq\\n\",\"x\"]", json);
            return;
        }

        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(expected, document.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void Block_scalar_ends_at_less_indented_key()
    {
        Assert.Equal("{\"a\":{\"s\":\"x\\n\",\"t\":1},\"b\":2}", Json("a:\n  s: |\n    x\n  t: 1\nb: 2\n"));
    }

    [Theory]
    [InlineData("a: [1, two, \"three\", 'four', null, true]\n", "{\"a\":[1,\"two\",\"three\",\"four\",null,true]}")]
    [InlineData("a: {x: 1, q: [2, 3], z: {w: v}}\n", "{\"a\":{\"x\":1,\"q\":[2,3],\"z\":{\"w\":\"v\"}}}")]
    [InlineData("a: []\nb: {}\n", "{\"a\":[],\"b\":{}}")]
    [InlineData("a: [x, z,]\n", "{\"a\":[\"x\",\"z\"]}")]
    [InlineData("a: [\n  x, # c\n  z\n]\n", "{\"a\":[\"x\",\"z\"]}")]
    [InlineData("{\"json\": {\"k\":1, \"l\":[true,false]}}\n", "{\"json\":{\"k\":1,\"l\":[true,false]}}")]
    [InlineData("a: {url: http://x/y, b: c}\n", "{\"a\":{\"url\":\"http://x/y\",\"b\":\"c\"}}")]
    [InlineData("a: {x, z: }\n", "{\"a\":{\"x\":null,\"z\":null}}")]
    [InlineData("a: [multi\n  word, z]\n", "{\"a\":[\"multi word\",\"z\"]}")]
    [InlineData("- [a, b]\n- {c: d}\n", "[[\"a\",\"b\"],{\"c\":\"d\"}]")]
    public void Flow_collections(string yaml, string json) => Assert.Equal(json, Json(yaml));

    [Theory]
    [InlineData("a: &x 1\nb: *x\n", "{\"a\":1,\"b\":1}")]
    [InlineData("a: &m {k: v}\nb: *m\n", "{\"a\":{\"k\":\"v\"},\"b\":{\"k\":\"v\"}}")]
    [InlineData("base: &b\n  x: 1\n  y: 2\nd:\n  <<: *b\n  y: 3\n", "{\"base\":{\"x\":1,\"true\":2},\"d\":{\"true\":3,\"x\":1}}")]
    // explicit keys win over merged ones wherever the merge key is written
    [InlineData("b: &b {x: 1}\nd:\n  x: 2\n  <<: *b\n", "{\"b\":{\"x\":1},\"d\":{\"x\":2}}")]
    // earlier merge sources win over later ones
    [InlineData("p: &p {x: 1}\nq: &q {x: 2, z: 3}\nd:\n  <<: [*p, *q]\n", "{\"p\":{\"x\":1},\"q\":{\"x\":2,\"z\":3},\"d\":{\"x\":1,\"z\":3}}")]
    [InlineData("d:\n  <<: {x: 1}\n  z: 2\n", "{\"d\":{\"z\":2,\"x\":1}}")]
    [InlineData("- &e x\n- *e\n", "[\"x\",\"x\"]")]
    [InlineData("a: &x\n  - 1\nb: *x\n", "{\"a\":[1],\"b\":[1]}")]
    [InlineData("a: !!str &x 5\nb: *x\n", "{\"a\":\"5\",\"b\":\"5\"}")]
    [InlineData("k: &x key\n*x : v\n", "{\"k\":\"key\",\"key\":\"v\"}")]
    [InlineData("\"<<\": literal\n", "{\"<<\":\"literal\"}")]
    public void Anchors_aliases_and_merge_keys(string yaml, string json) => Assert.Equal(json, Json(yaml));

    [Fact]
    public void Multi_document_streams_skip_empty_documents_and_report_start_lines()
    {
        const string yaml = "# leading comment\n---\na: 1\n---\n# only a comment\n---\n\n\nb: 2\n...\n---\n--- c\n---\n- 3\n";
        IReadOnlyList<YamlDocumentJson> documents = YamlToJson.ConvertAll(yaml, "multi.yaml");
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "\"c\"", "[3]"], documents.Select(d => Encoding.UTF8.GetString(d.Json)));
        Assert.Equal([3, 9, 12, 14], documents.Select(d => d.StartLine));
    }

    [Fact]
    public void A_document_without_marker_then_more_documents()
    {
        IReadOnlyList<YamlDocumentJson> documents = YamlToJson.ConvertAll("a: 1\n---\nb: 2\n", "m.yaml");
        Assert.Equal(2, documents.Count);
        Assert.Equal(1, documents[0].StartLine);
        Assert.Equal(3, documents[1].StartLine);
    }

    [Fact]
    public void Empty_input_and_comment_only_input_give_no_documents()
    {
        Assert.Empty(YamlToJson.ConvertAll("", "e.yaml"));
        Assert.Empty(YamlToJson.ConvertAll("# nothing\n\n---\n...\n", "e.yaml"));
    }

    [Fact]
    public void Anchors_do_not_cross_documents()
    {
        YamlException error = Fails("a: &x 1\n---\nb: *x\n");
        Assert.Equal(3, error.Line);
        Assert.Contains("unknown anchor 'x'", error.Problem);
    }

    [Fact]
    public void Item_lines_locate_each_member_of_a_list()
    {
        const string yaml = "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n-\n  kind: Pod\n- {kind: Service}\n";
        YamlDocumentJson document = Assert.Single(YamlToJson.ConvertAll(yaml, "list.yaml"));
        Assert.Equal([4, 6, 8], document.ItemLines);
        Assert.Empty(Assert.Single(YamlToJson.ConvertAll("a: [1]\n", "x.yaml")).ItemLines);
        Assert.Equal([1, 2], Assert.Single(YamlToJson.ConvertAll("items: [a,\n b]\n", "x.yaml")).ItemLines);
    }
}
