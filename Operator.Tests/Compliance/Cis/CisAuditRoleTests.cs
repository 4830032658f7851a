using System.Text.Json;
using SecurityOperator.Hosting;

namespace SecurityOperator.Tests.Compliance.Cis;

/// <summary>The offline form end to end: --role audit --cis --host-root DIR, table and JSON, exit codes.</summary>
public class CisAuditRoleTests
{
    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await OperatorHost.RunAsync(["--role", "audit", .. args], _ => null, new StringReader(""), stdout, stderr, Stream.Null);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_compliant_tree_prints_a_table_and_exits_0()
    {
        using var tree = FakeHostTree.Compliant();
        var (code, stdout, stderr) = await Run("--cis", "--host-root", tree.Root);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("CIS Kubernetes Benchmark cis-1.12", stdout);
        Assert.Matches(@"1\.1\.1\s+PASS\s+kube-apiserver\s+Ensure that the API server pod specification file permissions", stdout);
        Assert.Contains("not applicable: 4.3.1", stdout);
        Assert.EndsWith("0 fail, 0 warn, 3 manual, 0 error" + Environment.NewLine, stdout);
    }

    [Fact]
    public async Task Json_report_carries_status_evidence_and_remediation_and_exit_1_on_failure()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Set("/etc/kubernetes/kubelet.conf", 0b110_100_100);
        var (code, stdout, _) = await Run("--cis", "--host-root", tree.Root, "--format", "json", "--cis-benchmark", "cis-1.8");
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("cis-1.8", json.RootElement.GetProperty("benchmark").GetString());
        var check = json.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "4.1.5");
        Assert.Equal("FAIL", check.GetProperty("status").GetString());
        Assert.Equal("/etc/kubernetes/kubelet.conf: mode 644", check.GetProperty("evidence")[0].GetString());
        Assert.Contains("chmod 600", check.GetProperty("remediation").GetString());
        Assert.True(check.GetProperty("automated").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("fail").GetInt32());
    }

    [Fact]
    public async Task Bad_inputs_are_usage_errors()
    {
        var (code, _, stderr) = await Run("--cis", "--host-root", "/nonexistent-host-root");
        Assert.Equal(2, code);
        Assert.Contains("--host-root /nonexistent-host-root: not a directory", stderr);
        (code, _, stderr) = await Run("--cis", "--cis-benchmark", "cis-9.9");
        Assert.Equal(2, code);
        Assert.Contains("cis-9.9", stderr);
        using var tree = FakeHostTree.Compliant();
        (code, _, stderr) = await Run("--cis", "--host-root", tree.Root, "--format", "sarif");
        Assert.Equal(2, code);
        Assert.Contains("use table or json", stderr);
    }
}
