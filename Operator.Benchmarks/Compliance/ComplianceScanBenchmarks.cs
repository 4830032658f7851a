using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Benchmarks.Compliance;

/// <summary>Issue 7's target: a full scan of a 1,000-object cluster (100 namespaces with their default ServiceAccount,
/// 50 NetworkPolicies, 150 Roles and ClusterRoles, 200 bindings, 300 pods, 100 more ServiceAccounts) plus the node files
/// of a kubeadm control-plane host tree, in under 5 s: section 5 checks, remediation plan, CIS node scan, and both
/// ClusterPolicyReports built and serialized. The objects are in memory (the API listing is not part of it).
/// Run: <c>dotnet run -c Release --project Operator.Benchmarks -- --filter '*ComplianceScan*'</c>.</summary>
[MemoryDiagnoser]
public class ComplianceScanBenchmarks
{
    private ClusterObjects _objects = null!;
    private string _hostRoot = "";

    [GlobalSetup]
    public void Setup()
    {
        _objects = Cluster();
        _hostRoot = HostTree();
        var count = _objects.ClusterRoles.Count + _objects.Roles.Count + _objects.ClusterRoleBindings.Count + _objects.RoleBindings.Count +
            _objects.ServiceAccounts.Count + _objects.Namespaces.Count + _objects.NetworkPolicies.Count + _objects.Pods.Count;
        if (count != 1000) throw new InvalidOperationException($"the cluster has {count} objects, not 1,000");
        if (new CisScanner(new HostRoot(_hostRoot), CisBenchmarkVersions.Latest).Scan().Results.Count < 50) throw new InvalidOperationException("the host tree must show a control-plane node");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_hostRoot, recursive: true);

    [Benchmark]
    public int FullScan()
    {
        var now = DateTimeOffset.UtcNow;
        var cluster = new ClusterPolicyScanner().Scan(_objects, CisBenchmarkVersions.Latest, now);
        var actions = ComplianceRemediator.Plan(_objects, BindingAllowList.Empty, new ClusterPolicyScanOptions().SkipNamespaces);
        cluster.Remediation = new RemediationReport { Mode = RemediationModes.DryRun, Actions = actions };
        var node = new CisScanner(new HostRoot(_hostRoot), CisBenchmarkVersions.Latest).Scan();
        var clusterReport = ClusterPolicyReportBuilder.Build("cis-cluster", [cluster], now);
        ClusterPolicyReportBuilder.AttachActions(clusterReport, cluster.Remediation);
        var nodeReport = ClusterPolicyReportBuilder.Build("cis-node-bench", [node], now);
        return JsonSerializer.SerializeToUtf8Bytes(clusterReport, KubeJsonContext.Default.ClusterPolicyReport).Length
            + JsonSerializer.SerializeToUtf8Bytes(nodeReport, KubeJsonContext.Default.ClusterPolicyReport).Length
            + JsonSerializer.Serialize(cluster, ComplianceJsonContext.Default.CisReport).Length;
    }

    private static ClusterObjects Cluster()
    {
        var namespaces = Enumerable.Range(0, 100).Select(i => new Namespace { Metadata = new ObjectMeta { Name = $"team-{i}" } }).ToList();
        var accounts = namespaces.Select(n => new ServiceAccount { Metadata = new ObjectMeta { Name = "default", Namespace = n.Metadata.Name } })
            .Concat(namespaces.Select(n => new ServiceAccount { Metadata = new ObjectMeta { Name = "app", Namespace = n.Metadata.Name }, AutomountServiceAccountToken = false })).ToList();
        var policies = namespaces.Where((_, i) => i % 2 == 0)
            .Select(n => new NetworkPolicy { Metadata = new ObjectMeta { Name = "deny", Namespace = n.Metadata.Name } }).ToList();
        var clusterRoles = Enumerable.Range(0, 50).Select(i => Role($"cr-{i}", null, i)).ToList();
        var roles = Enumerable.Range(0, 100).Select(i => Role($"r-{i}", $"team-{i}", i)).ToList();
        var clusterBindings = Enumerable.Range(0, 50).Select(i => Binding("ClusterRoleBinding", $"crb-{i}", null, i % 10 == 0 ? "cluster-admin" : $"cr-{i}", i)).ToList();
        var bindings = Enumerable.Range(0, 150).Select(i => Binding("RoleBinding", $"rb-{i}", $"team-{i % 100}", $"cr-{i % 50}", i)).ToList();
        var pods = Enumerable.Range(0, 300).Select(i => Pod($"team-{i % 100}", $"pod-{i}", i)).ToList();
        return new ClusterObjects(clusterRoles, roles, clusterBindings, bindings, accounts, namespaces, policies, pods);
    }

    private static RbacRole Role(string name, string? ns, int i) => new()
    {
        Kind = ns is null ? "ClusterRole" : "Role", Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Rules =
        [
            new PolicyRule { ApiGroups = [""], Resources = i % 7 == 0 ? ["*"] : ["configmaps", i % 3 == 0 ? "secrets" : "services"], Verbs = ["get", "list", i % 5 == 0 ? "create" : "watch"] },
            new PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get"] },
        ],
    };

    private static RbacBinding Binding(string kind, string name, string? ns, string role, int i) => new()
    {
        Kind = kind, Metadata = new ObjectMeta { Name = name, Namespace = ns }, RoleRef = new RoleRef { Kind = "ClusterRole", Name = role },
        Subjects = [new RbacSubject { Kind = "ServiceAccount", Name = i % 4 == 0 ? "default" : "app", Namespace = ns ?? "team-0" }],
    };

    private static PodJson Pod(string ns, string name, int i)
    {
        var privileged = i % 9 == 0 ? "true" : "false";
        var env = i % 6 == 0 ? ""","env":[{"name":"TOKEN","valueFrom":{"secretKeyRef":{"name":"api","key":"token"}}}]""" : "";
        var hostNetwork = i % 13 == 0 ? "true" : "false";
        var account = i % 2 == 0 ? "app" : "default";
        var json = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"web"}},"spec":{"hostNetwork":{{{hostNetwork}}},"serviceAccountName":"{{{account}}}","containers":[{"name":"app","image":"registry.example.com/app:1.0","securityContext":{"privileged":{{{privileged}}},"runAsNonRoot":true}{{{env}}}},{"name":"sidecar","image":"registry.example.com/proxy:2.1"}]}}""";
        return new PodJson(ns, name, System.Text.Encoding.UTF8.GetBytes(json));
    }

    // A kubeadm control-plane node: four static pods, kubeconfigs, PKI, kubelet config and unit, passwd and group.
    private static string HostTree()
    {
        var root = Directory.CreateTempSubdirectory("cis-bench-").FullName;
        void Write(string path, string content)
        {
            var local = Path.Join(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            File.WriteAllText(local, content);
            if (OperatingSystem.IsLinux()) File.SetUnixFileMode(local, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        foreach (var component in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd" })
            Write($"/etc/kubernetes/manifests/{component}.yaml", $"""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: {component}
                  namespace: kube-system
                spec:
                  containers:
                  - name: {component}
                    image: registry.k8s.io/{component}:v1.32.0
                    command:
                    - {component}
                    - --profiling=false
                    - --authorization-mode=Node,RBAC
                    - --client-ca-file=/etc/kubernetes/pki/ca.crt
                """);
        foreach (var conf in new[] { "admin.conf", "super-admin.conf", "scheduler.conf", "controller-manager.conf", "kubelet.conf" })
            Write($"/etc/kubernetes/{conf}", "apiVersion: v1\nkind: Config\n");
        foreach (var file in new[] { "ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "sa.key", "sa.pub", "etcd/ca.crt", "etcd/ca.key" })
            Write($"/etc/kubernetes/pki/{file}", "x");
        Write("/var/lib/kubelet/config.yaml", """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            authentication:
              anonymous:
                enabled: false
            authorization:
              mode: Webhook
            readOnlyPort: 0
            """);
        Write("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\n");
        Write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\netcd:x:998:998::/var/lib/etcd:/bin/false\n");
        Write("/etc/group", "root:x:0:\netcd:x:998:\n");
        Directory.CreateDirectory(Path.Join(root, "/var/lib/etcd"));
        return root;
    }
}
