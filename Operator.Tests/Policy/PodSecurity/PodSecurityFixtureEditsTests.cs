using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.PodSecurity;

public sealed class PodSecurityFixtureEditsTests
{
    private static JsonNode Pod() => JsonNode.Parse("""{"metadata":{},"spec":{"containers":[{"name":"a"}]}}""")!;

    [Fact]
    public void Creates_missing_objects_and_arrays_on_the_way()
    {
        var pod = Pod();
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/0/securityContext/capabilities/drop", JsonNode.Parse("""["ALL"]"""));
        PodSecurityFixtureEdits.Apply(pod, "/spec/ephemeralContainers/0/name", "debug");
        Assert.Equal("""{"metadata":{},"spec":{"containers":[{"name":"a","securityContext":{"capabilities":{"drop":["ALL"]}}}],"ephemeralContainers":[{"name":"debug"}]}}""",
            pod.ToJsonString());
    }

    [Fact]
    public void Unescapes_slashes_in_annotation_keys()
    {
        var pod = Pod();
        PodSecurityFixtureEdits.Apply(pod, "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1a", "unconfined");
        Assert.Equal("unconfined", (string?)pod["metadata"]!["annotations"]!["container.apparmor.security.beta.kubernetes.io/a"]);
    }

    [Fact]
    public void Appends_with_dash_or_length_and_replaces_by_index()
    {
        var pod = Pod();
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/-", JsonNode.Parse("""{"name":"b"}"""));
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/2", JsonNode.Parse("""{"name":"c"}"""));
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/0", JsonNode.Parse("""{"name":"z"}"""));
        Assert.Equal("""[{"name":"z"},{"name":"b"},{"name":"c"}]""", pod["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void Null_removes_a_member_or_an_element()
    {
        var pod = Pod();
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/0/name", null);
        PodSecurityFixtureEdits.Apply(pod, "/metadata", null);
        Assert.Equal("""{"spec":{"containers":[{}]}}""", pod.ToJsonString());
        PodSecurityFixtureEdits.Apply(pod, "/spec/containers/0", null);
        Assert.Equal("""{"spec":{"containers":[]}}""", pod.ToJsonString());
    }

    [Theory]
    [InlineData("spec/containers", "must start with '/'")]
    [InlineData("/spec/containers/5/name", "not an index of an array of 1")]
    [InlineData("/spec/containers/0/name/x", "below a scalar")]
    [InlineData("/spec/missing", "nothing to remove")]
    public void Bad_pointers_are_reported_with_the_pointer(string pointer, string problem)
    {
        var error = Assert.Throws<FormatException>(() => PodSecurityFixtureEdits.Apply(Pod(), pointer, pointer == "/spec/missing" ? null : "v"));
        Assert.Contains(pointer, error.Message);
        Assert.Contains(problem, error.Message);
    }
}
