using SecurityOperator.Compliance.Cis;

namespace SecurityOperator.Tests.Compliance.Cis;

/// <summary>The node checks against fake host trees: a compliant kubeadm node, then one defect at a time, each
/// reported with its status and the evidence found.</summary>
public class CisScannerTests
{
    private static CisReport Scan(FakeHostTree tree, CisBenchmarkVersion version = CisBenchmarkVersion.V1_12) =>
        new CisScanner(new HostRoot(tree.Root), version).Scan();

    private static CisCheckResult Result(CisReport report, string id) => report.Results.Single(r => r.Id == id);

    [Fact]
    public void A_compliant_control_plane_node_fails_nothing()
    {
        using var tree = FakeHostTree.Compliant();
        var report = Scan(tree);
        Assert.Empty(report.Results.Where(r => r.Status is CheckStatus.Fail or CheckStatus.Error or CheckStatus.Warn)
            .Select(r => $"{r.Id} {r.StatusName}: {string.Join("; ", r.Evidence)}"));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(["1.2.20", "1.2.28", "2.7"], report.Results.Where(r => r.Status == CheckStatus.Manual).Select(r => r.Id));
        // kube-proxy runs as a pod and shows only in /proc: without it 4.3.1 and nothing else is not applicable.
        Assert.Equal(["4.3.1"], report.NotApplicable.Single().Checks);
    }

    [Fact]
    public void Every_check_of_sections_1_2_and_4_is_evaluated_on_a_full_node()
    {
        using var tree = FakeHostTree.Compliant();
        var report = Scan(tree);
        var ids = report.Results.Select(r => r.Id).Concat(report.NotApplicable.SelectMany(n => n.Checks)).ToList();
        Assert.Equal(CisCatalog.For(CisBenchmarkVersion.V1_12).Select(c => c.Id), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_missing_flag_is_compared_with_the_components_default_and_says_so()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/etc/kubernetes/manifests/kube-apiserver.yaml", FakeHostTree.StaticPod("kube-apiserver",
            FakeHostTree.GoodApiServerFlags.Where(f => !f.StartsWith("--profiling") && !f.StartsWith("--authorization-mode")).ToArray()));
        var report = Scan(tree);
        var profiling = Result(report, "1.2.15");
        Assert.Equal(CheckStatus.Fail, profiling.Status);
        Assert.Equal(["--profiling not set (default true)"], profiling.Evidence);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.2.6").Status);   // default AlwaysAllow
        Assert.Equal(CheckStatus.Fail, Result(report, "1.2.7").Status);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void Bad_api_server_flags_fail_with_the_value_found_and_manual_checks_warn()
    {
        using var tree = FakeHostTree.Compliant();
        var flags = FakeHostTree.GoodApiServerFlags
            .Select(f => f switch
            {
                "--anonymous-auth=false" => "--anonymous-auth=true",
                "--audit-log-maxage=30" => "--audit-log-maxage=7",
                "--authorization-mode=Node,RBAC" => "--authorization-mode=AlwaysAllow",
                _ => f.StartsWith("--tls-cipher-suites") ? "--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA,TLS_AES_128_GCM_SHA256" : f,
            })
            .Append("--token-auth-file=/etc/kubernetes/tokens.csv").ToArray();
        tree.Write("/etc/kubernetes/manifests/kube-apiserver.yaml", FakeHostTree.StaticPod("kube-apiserver", flags));
        var report = Scan(tree);

        var anonymous = Result(report, "1.2.1");
        Assert.Equal(CheckStatus.Warn, anonymous.Status);   // Manual in the benchmark
        Assert.Equal(["--anonymous-auth=true (/etc/kubernetes/manifests/kube-apiserver.yaml)"], anonymous.Evidence);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.2.2").Status);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.2.6").Status);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.2.8").Status);
        var maxAge = Result(report, "1.2.17");
        Assert.Equal(CheckStatus.Fail, maxAge.Status);
        Assert.Contains("--audit-log-maxage=7", maxAge.Evidence[0]);
        Assert.Equal(CheckStatus.Warn, Result(report, "1.2.29").Status);   // RC4 is not among the strong suites
    }

    [Fact]
    public void File_modes_and_owners_are_checked_with_the_mode_and_owner_as_evidence()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Set("/etc/kubernetes/manifests/kube-apiserver.yaml", 0b110_100_100)
            .Set("/etc/kubernetes/manifests/kube-scheduler.yaml", 0b110_000_000, uid: 1000, gid: 1000)
            .Set("/etc/kubernetes/pki/ca.key", 0b110_100_000)
            .Set("/var/lib/etcd", 0b111_101_101, uid: 0, gid: 0)
            .Set("/etc/kubernetes/super-admin.conf", 0b110_110_110);
        var report = Scan(tree);

        var mode = Result(report, "1.1.1");
        Assert.Equal(CheckStatus.Fail, mode.Status);
        Assert.Equal(["/etc/kubernetes/manifests/kube-apiserver.yaml: mode 644"], mode.Evidence);
        var owner = Result(report, "1.1.6");
        Assert.Equal(CheckStatus.Fail, owner.Status);
        Assert.Equal(["/etc/kubernetes/manifests/kube-scheduler.yaml: owner 1000:1000"], owner.Evidence);
        Assert.Equal(CheckStatus.Pass, Result(report, "1.1.5").Status);
        var key = Result(report, "1.1.21");
        Assert.Equal(CheckStatus.Warn, key.Status);
        Assert.Contains("/etc/kubernetes/pki/ca.key: mode 640", key.Evidence);
        Assert.Contains("/etc/kubernetes/pki/apiserver.key: mode 600", key.Evidence);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.1.11").Status);
        Assert.Equal(["/var/lib/etcd: owner root:root"], Result(report, "1.1.12").Evidence);
        var admin = Result(report, "1.1.13");
        Assert.Equal(CheckStatus.Fail, admin.Status);
        Assert.Equal(["/etc/kubernetes/admin.conf: mode 600", "/etc/kubernetes/super-admin.conf: mode 666"], admin.Evidence);
    }

    [Fact]
    public void The_pki_walk_includes_the_directory_and_nested_files()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Directory_("/etc/kubernetes/pki/etcd", 0b111_101_101).Write("/etc/kubernetes/pki/etcd/ca.key", "key", uid: 1000, gid: 0);
        var owners = Result(Scan(tree), "1.1.19");
        Assert.Equal(CheckStatus.Fail, owners.Status);
        Assert.Contains("/etc/kubernetes/pki: owner root:root", owners.Evidence);
        Assert.Contains("/etc/kubernetes/pki/etcd/ca.key: owner 1000:root", owners.Evidence);
    }

    [Fact]
    public void Etcd_ownership_fails_when_the_host_has_no_etcd_user()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n", 0b110_100_100).Write("/etc/group", "root:x:0:\n", 0b110_100_100);
        var result = Result(Scan(tree), "1.1.12");
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains("no user etcd in the host's /etc/passwd", result.Evidence);
    }

    [Fact]
    public void Kubelet_settings_come_from_the_config_file_and_a_flag_on_the_running_process_wins()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/var/lib/kubelet/config.yaml", FakeHostTree.GoodKubeletConfig
            .Replace("enabled: false", "enabled: true").Replace("readOnlyPort: 0", "readOnlyPort: 10255")
            .Replace("RotateKubeletServerCertificate: true", "RotateKubeletServerCertificate: false"));
        var fromConfig = Scan(tree);
        var anonymous = Result(fromConfig, "4.2.1");
        Assert.Equal(CheckStatus.Fail, anonymous.Status);
        Assert.Equal(["authentication.anonymous.enabled: true (/var/lib/kubelet/config.yaml)"], anonymous.Evidence);
        Assert.Equal(CheckStatus.Warn, Result(fromConfig, "4.2.4").Status);
        Assert.Equal(CheckStatus.Warn, Result(fromConfig, "4.2.11").Status);

        tree.Process(4242, "/usr/bin/kubelet", "--config=/var/lib/kubelet/config.yaml", "--anonymous-auth=false", "--read-only-port", "0");
        var fromProcess = Scan(tree);
        Assert.Equal(CheckStatus.Pass, Result(fromProcess, "4.2.1").Status);
        Assert.Equal(["--anonymous-auth=false (/proc/4242/cmdline)"], Result(fromProcess, "4.2.1").Evidence);
        Assert.Equal(CheckStatus.Pass, Result(fromProcess, "4.2.4").Status);
    }

    [Fact]
    public void Kubelet_config_defaults_are_the_config_apis_not_the_flags()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n");
        var report = Scan(tree);
        Assert.Equal(CheckStatus.Pass, Result(report, "4.2.1").Status);
        Assert.Equal(["--anonymous-auth and authentication.anonymous.enabled not set (default false)"], Result(report, "4.2.1").Evidence);
        Assert.Equal(CheckStatus.Fail, Result(report, "4.2.3").Status);
        Assert.Equal(CheckStatus.Pass, Result(report, "4.2.10").Status);   // not set is "not false"
    }

    [Fact]
    public void A_worker_node_reports_the_control_plane_checks_as_not_applicable()
    {
        using var tree = new FakeHostTree();
        tree.Write("/var/lib/kubelet/config.yaml", FakeHostTree.GoodKubeletConfig)
            .Write("/etc/kubernetes/kubelet.conf", "kubeconfig")
            .Write("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\n")
            .Write("/etc/kubernetes/pki/ca.crt", "cert", 0b110_100_100);
        var report = Scan(tree);
        Assert.All(report.Results, r => Assert.StartsWith("4.", r.Id));
        Assert.Contains(report.NotApplicable, n => n.Component == "kube-apiserver" && n.Checks.Contains("1.2.1")
            && n.Reason.Contains("/etc/kubernetes/manifests/kube-apiserver.yaml"));
        Assert.Equal(0, report.Summary.Fail);
    }

    [Fact]
    public void An_unparsable_manifest_is_an_error_naming_the_file_on_each_settings_check()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/etc/kubernetes/manifests/kube-scheduler.yaml", "spec:\n  containers: [\n");
        var report = Scan(tree);
        var profiling = Result(report, "1.4.1");
        Assert.Equal(CheckStatus.Error, profiling.Status);
        Assert.StartsWith("/etc/kubernetes/manifests/kube-scheduler.yaml:", profiling.Evidence.Single());
        Assert.Equal(CheckStatus.Pass, Result(report, "1.1.5").Status);   // its mode is still readable
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void The_process_command_line_is_preferred_over_the_manifest()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Process(100, "kube-scheduler", "--profiling=true", "--bind-address=0.0.0.0");
        var report = Scan(tree);
        Assert.Equal(["--profiling=true (/proc/100/cmdline)"], Result(report, "1.4.1").Evidence);
        Assert.Equal(CheckStatus.Fail, Result(report, "1.4.2").Status);
    }

    [Fact]
    public void Version_1_8_differs_where_the_benchmark_does()
    {
        using var tree = FakeHostTree.Compliant();
        var v18 = Scan(tree, CisBenchmarkVersion.V1_8);
        Assert.DoesNotContain(v18.Results, r => r.Id is "1.2.30" or "4.2.14");
        Assert.Equal("cis-1.8", v18.Benchmark);
        // Certificates are 644 in the tree: enough for v1.12 (644), not for v1.8 (600).
        Assert.Equal(CheckStatus.Warn, Result(v18, "1.1.20").Status);
        Assert.Equal(CheckStatus.Pass, Result(Scan(tree), "1.1.20").Status);
        Assert.Equal(["/etc/kubernetes/admin.conf: mode 600"], Result(v18, "1.1.13").Evidence);
    }

    [Fact]
    public void Optional_files_pass_when_absent_and_required_ones_warn()
    {
        using var tree = FakeHostTree.Compliant();
        File.Delete(tree.Local("/etc/kubernetes/kubelet.conf"));
        var report = Scan(tree);
        Assert.Equal(CheckStatus.Pass, Result(report, "4.1.3").Status);   // no kube-proxy kubeconfig: nothing to check
        var kubeconfig = Result(report, "4.1.5");
        Assert.Equal(CheckStatus.Warn, kubeconfig.Status);
        Assert.Equal(["not found: /etc/kubernetes/kubelet.conf"], kubeconfig.Evidence);
    }

    [Fact]
    public void A_symbolic_link_is_followed_inside_the_host_root()
    {
        using var tree = FakeHostTree.Compliant();
        tree.Write("/srv/real-admin.conf", "kubeconfig", 0b110_100_100);
        File.Delete(tree.Local("/etc/kubernetes/admin.conf"));
        File.CreateSymbolicLink(tree.Local("/etc/kubernetes/admin.conf"), "/srv/real-admin.conf");
        var result = Result(Scan(tree), "1.1.13");
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Contains("/etc/kubernetes/admin.conf -> /srv/real-admin.conf: mode 644", result.Evidence);
    }
}
