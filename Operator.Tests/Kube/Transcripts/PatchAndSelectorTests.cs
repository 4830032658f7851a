using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.ApiServer.Patches;
using SecurityOperator.Tests.Kube.ApiServer.Selectors;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>The double's patch appliers and selectors on their own, for the cases the transcripts do not record.</summary>
public sealed class PatchAndSelectorTests
{
    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void Json_patch_move_copy_and_pointer_escapes()
    {
        var doc = J("""{"a":{"b~c":1,"d/e":2},"list":[1,2]}""");
        var result = JsonPatch.Apply(doc, J("""
            [{"op":"move","from":"/a/b~0c","path":"/moved"},
             {"op":"copy","from":"/a/d~1e","path":"/list/-"},
             {"op":"add","path":"/list/0","value":0},
             {"op":"test","path":"/list","value":[0,1,2,2]}]
            """).AsArray());
        Assert.True(JsonNode.DeepEquals(J("""{"a":{"d/e":2},"list":[0,1,2,2],"moved":1}"""), result), result.ToJsonString());
        Assert.True(JsonNode.DeepEquals(J("""{"a":{"b~c":1,"d/e":2},"list":[1,2]}"""), doc)); // input untouched
        Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(doc, J("""[{"op":"replace","path":"/nope","value":1}]""").AsArray()));
    }

    [Fact]
    public void Strategic_merge_merges_env_and_ports_by_key_and_honours_patch_delete()
    {
        var pod = J("""{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80,"name":"http"}]}],"tolerations":[{"key":"x"}]}}""");
        var patch = J("""{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"20"},{"name":"A","$patch":"delete"},{"name":"C","value":"3"}],"ports":[{"containerPort":80,"protocol":"TCP"}]},{"name":"sidecar","image":"s"}],"tolerations":[{"key":"y"}]}}""");
        var result = StrategicMergePatch.Apply(pod, patch)!;
        var expected = J("""{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}],"ports":[{"containerPort":80,"name":"http","protocol":"TCP"}]},{"name":"sidecar","image":"s"}],"tolerations":[{"key":"y"}]}}""");
        Assert.True(JsonNode.DeepEquals(expected, result), result.ToJsonString());
    }

    [Fact]
    public void Merge_patch_null_removes_and_lists_replace()
    {
        var result = MergePatch.Apply(J("""{"a":{"b":1,"c":2},"l":[1,2]}"""), J("""{"a":{"b":null},"l":[3]}"""))!;
        Assert.True(JsonNode.DeepEquals(J("""{"a":{"c":2},"l":[3]}"""), result));
    }

    [Fact]
    public void Apply_yaml_subset_reads_block_mappings_sequences_and_quoted_scalars()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web   # a comment
              labels:
                security.io/compliant: "false"
                tier: 'front'
            spec:
              containers:
              - name: app
                image: nginx:1.25
                ports:
                - containerPort: 80
              - name: side
                args: ["-v", "2"]
              enableServiceLinks: false
            """;
        var parsed = ApplyYaml.Parse(yaml);
        var expected = J("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"security.io/compliant":"false","tier":"front"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"side","args":["-v","2"]}],"enableServiceLinks":false}}""");
        Assert.True(JsonNode.DeepEquals(expected, parsed), parsed.ToJsonString());
        Assert.Throws<FormatException>(() => ApplyYaml.Parse("just a scalar"));
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier!=backend", true)]
    [InlineData("tier in (frontend, edge)", true)]
    [InlineData("tier notin (frontend)", false)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing,app=web", true)]
    [InlineData("missing=", false)]
    [InlineData("missing!=x", true)]
    public void Label_selectors_match_like_kube_apiserver(string selector, bool matches)
    {
        var labels = J("""{"app":"web","tier":"frontend"}""").AsObject();
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(labels));
    }

    [Theory]
    [InlineData("app===web", "unable to parse requirement: found '=', expected: identifier")]
    [InlineData("tier in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    public void Malformed_label_selectors_fail_with_the_parser_message(string selector, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => LabelSelector.Parse(selector)).Message);

    [Fact]
    public void Field_selectors_allow_only_declared_fields()
    {
        var pod = J("""{"metadata":{"name":"p","namespace":"n"},"spec":{},"status":{"phase":"Pending"}}""").AsObject();
        Assert.True(FieldSelector.Parse("spec.nodeName=,status.phase=Pending", ResourceCatalog.Pods).Matches(pod));
        Assert.False(FieldSelector.Parse("metadata.name!=p", ResourceCatalog.Pods).Matches(pod));
        Assert.Equal("field label not supported: status.phase",
            Assert.Throws<FormatException>(() => FieldSelector.Parse("status.phase=Running", ResourceCatalog.ConfigMaps)).Message);
    }

    [Fact]
    public void Continue_token_encodes_like_the_recorded_one()
    {
        // pods-03 header: page 1's token decodes to {"v":"meta.k8s.io/v1","rv":258,"start":"db-4\u0000"}.
        Assert.Equal("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MjU4LCJzdGFydCI6ImRiLTRcdTAwMDAifQ", new ContinueToken(258, "db-4\0").Encode());
        Assert.Equal(new ContinueToken(258, "web-1\0"), ContinueToken.Decode("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MjU4LCJzdGFydCI6IndlYi0xXHUwMDAwIn0"));
        Assert.Throws<FormatException>(() => ContinueToken.Decode("not-a-token"));
    }
}
