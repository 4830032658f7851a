using System.Text.Json;
using SecurityOperator.Hosting;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Audit;

/// <summary>--role audit end to end, in process: the examples/ directory, each output format, policies from files,
/// namespace labels, and the error paths with their exit codes.</summary>
public class AuditRoleTests
{
    private static string Examples => Path.Combine(RepositoryPaths.Root, "examples");

    private static async Task<(int Code, string Stdout, string Stderr)> Audit(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await OperatorHost.RunAsync(["--role", "audit", .. args], _ => null, new StringReader(stdin), stdout, stderr, Stream.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_examples_are_denied_for_the_bad_manifests_only()
    {
        var (code, stdout, _) = await Audit("", "--format", "json", Path.Combine(Examples, "manifests"));
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        var denied = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("action").GetString() == "deny")
            .Select(f => Path.GetFileName(f.GetProperty("file").GetString()!)).Distinct().Order().ToArray();
        Assert.Equal(["cache-statefulset.yaml", "debug-pod.yaml", "log-collector-daemonset.yaml"], denied);
    }

    [Fact]
    public async Task The_good_examples_pass_the_default_set()
    {
        var (code, stdout, _) = await Audit("", Path.Combine(Examples, "manifests", "good"));
        Assert.Equal(0, code);
        Assert.Contains("0 deny", stdout);
    }

    [Fact]
    public async Task A_finding_names_the_container_and_the_field()
    {
        var (_, stdout, _) = await Audit("", "--format", "json", Path.Combine(Examples, "manifests", "bad", "debug-pod.yaml"));
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement.GetProperty("findings").EnumerateArray()
            .Single(f => f.GetProperty("rule").GetString() == "no-root-containers");
        Assert.Equal("shell", root.GetProperty("container").GetString());
        Assert.Equal("spec.containers[0].securityContext.runAsUser", root.GetProperty("field").GetString());
        Assert.Equal(3, root.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Sarif_output_points_at_file_and_line()
    {
        var (code, stdout, _) = await Audit("", "--format", "sarif", Path.Combine(Examples, "manifests", "bad", "debug-pod.yaml"));
        Assert.Equal(1, code);
        using var sarif = JsonDocument.Parse(stdout);
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var result = sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("debug-pod.yaml", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(3, location.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public async Task Policies_from_files_apply_through_their_namespace_selector()
    {
        // production-workload-policy targets namespaces labelled environment=production and pods with tier in
        // (frontend, backend); the debug pod runs as root in namespace production with tier=backend.
        var policy = Path.Combine(Examples, "policies", "production-workload-policy.yaml");
        var pod = Path.Combine(Examples, "manifests", "bad", "debug-pod.yaml");

        var unlabelled = await Audit("", "--policy", policy, "--format", "json", pod);
        Assert.Equal(0, unlabelled.Code);

        var labelled = await Audit("", "--policy", policy, "--namespace-labels", "production=environment=production", "--format", "json", pod);
        Assert.Equal(1, labelled.Code);
        using var json = JsonDocument.Parse(labelled.Stdout);
        var rules = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToHashSet();
        Assert.Contains("trusted-registries", rules);
        Assert.Contains("no-root-containers", rules);
    }

    [Fact]
    public async Task Stdin_is_read_with_a_dash()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: team}
            spec:
              containers: [{name: c, image: "registry.example/app:1.0", securityContext: {privileged: true}}]
            """;
        var (code, stdout, _) = await Audit(pod, "-");
        Assert.Equal(1, code);
        Assert.Contains("privileged", stdout);
    }

    [Fact]
    public async Task A_broken_policy_exits_two_naming_file_line_and_field()
    {
        var dir = Directory.CreateTempSubdirectory("audit-policy-");
        try
        {
            var file = Path.Combine(dir.FullName, "bad.yaml");
            await File.WriteAllTextAsync(file, """
                apiVersion: security.io/v1
                kind: SecurityPolicy
                metadata: {name: broken, namespace: team}
                spec:
                  rules:
                  - name: r
                    conditions:
                    - imageNotFromRegistry: []
                    actions: [deny]
                """);
            var (code, _, stderr) = await Audit("", "--policy", file, Path.Combine(Examples, "manifests"));
            Assert.Equal(2, code);
            Assert.Contains($"{file}:1:1: SecurityPolicy broken: spec.rules[0].conditions[0].imageNotFromRegistry", stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_manifest_that_does_not_parse_exits_two_with_file_and_line()
    {
        var (code, stdout, _) = await Audit("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n", "--format", "table", "-");
        Assert.Equal(2, code);
        Assert.Contains("-:3:", stdout);
    }

    [Fact]
    public async Task No_path_is_a_usage_error()
    {
        var (code, _, stderr) = await Audit("");
        Assert.Equal(2, code);
        Assert.Contains("--role audit needs at least one PATH", stderr);
    }

    [Fact]
    public async Task A_malformed_namespace_label_flag_is_a_usage_error()
    {
        var (code, _, stderr) = await Audit("", "--namespace-labels", "production", "x.yaml");
        Assert.Equal(2, code);
        Assert.Contains("invalid value 'production' for --namespace-labels: must be NAMESPACE=KEY=VALUE", stderr);
    }
}
