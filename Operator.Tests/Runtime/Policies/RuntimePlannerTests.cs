using System.Net;
using SecurityOperator.Kube.Models;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Policies;
using static SecurityOperator.Tests.Runtime.Policies.RuntimePolicyFixtures;

namespace SecurityOperator.Tests.Runtime.Policies;

public sealed class RuntimePlannerTests
{
    private const string WebId = "aaaa000000000000000000000000000000000000000000000000000000000001";
    private const string DbId = "bbbb000000000000000000000000000000000000000000000000000000000002";
    private static readonly ContainerCgroup Web = new("/cg/web", 101, new ContainerRef("uid-web", WebId, "containerd", "besteffort"));
    private static readonly ContainerCgroup Db = new("/cg/db", 202, new ContainerRef("uid-db", DbId, "containerd", "besteffort"));

    /// <summary>Every container has /usr/bin/curl as inode 7000 + its cgroup id on device 42; nothing else exists.</summary>
    private static ExecKey? Files(ContainerCgroup c, string path) =>
        path == "/usr/bin/curl" ? new ExecKey { Inode = 7000 + c.Id, Device = 42 } : null;

    private static readonly Pod[] Pods = [PodOf("shop", "web-1", "uid-web", "web", WebId), PodOf("shop", "db-1", "uid-db", "db", DbId)];

    private static RuntimePlan Plan(RuntimeRuleTable table, params Pod[] pods) => Plan(table, pods, [Web, Db],
        Namespaced("shop", "no-curl", "web", """[{"name":"curl","executables":["/usr/bin/curl","/usr/bin/absent"],"response":["kill"]}]"""));

    private static RuntimePlan Plan(RuntimeRuleTable table, IReadOnlyList<Pod> pods, IReadOnlyList<ContainerCgroup> cgroups, params SecurityOperator.Policy.Compilation.CompiledPolicy[] policies) =>
        new RuntimePlanner(table, Files).Plan(Snapshot(1, policies), pods, _ => null, cgroups);

    [Fact]
    public void Only_the_containers_of_targeted_pods_get_entries_and_missing_files_none()
    {
        var table = new RuntimeRuleTable();
        var plan = Plan(table, Pods);
        var (entry, rule) = Assert.Single(plan.Execs);
        Assert.Equal(new ExecEntry(101, 7101, 42), entry);
        Assert.Equal(RuleAction.Enforce, rule.Action);
        var binding = plan.Bindings[rule.Rule];
        Assert.Equal(("no-curl", "curl"), (binding.Compiled.Name, binding.Rule.Name));
        Assert.True(RuntimeRuleTable.IsPolicyRule(rule.Rule));
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Warn_mode_turns_kill_and_block_into_alerts()
    {
        var plan = Plan(new RuntimeRuleTable(), Pods, [Web, Db],
            Namespaced("shop", "w", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]},{"name":"meta","connect":{"denied":[{"cidr":"169.254.169.254"}]},"response":["block"]}]""", mode: "warn"));
        Assert.Equal(RuleAction.Alert, Assert.Single(plan.Execs).Value.Action);
        Assert.Equal(RuleAction.Alert, Assert.Single(plan.Destinations).Value.Action);
    }

    [Fact]
    public void An_allow_list_writes_allow_entries_and_the_cgroups_default()
    {
        var plan = Plan(new RuntimeRuleTable(), Pods, [Web, Db],
            Namespaced("shop", "egress", "db", """[{"name":"only-dns","connect":{"allowed":[{"cidr":"10.96.0.10","port":53}],"denied":[{"cidr":"10.96.0.0/12","port":22}]},"response":["block"]}]"""));
        Assert.Equal(RuleAction.Allow, plan.Destinations[new DestinationEntry(202, 53, IPAddress.Parse("10.96.0.10"), 32)].Action);
        Assert.Equal(RuleAction.Enforce, plan.Destinations[new DestinationEntry(202, 22, IPAddress.Parse("10.96.0.0"), 12)].Action);
        Assert.Equal(RuleAction.Enforce, Assert.Single(plan.ConnectModes, m => m.Key == 202).Value.Action);
        Assert.DoesNotContain(plan.Destinations.Keys, k => k.CgroupId == 101);
    }

    [Fact]
    public void Sensitive_paths_are_published_per_container()
    {
        var plan = Plan(new RuntimeRuleTable(), Pods, [Web, Db],
            Namespaced("shop", "files", "web", """[{"name":"shadow","sensitivePaths":["/etc/shadow","/secrets/*"],"response":["event"]}]"""));
        Assert.Equal(["/etc/shadow", "/secrets/*"], plan.SensitivePaths[101].Select(p => System.Text.Encoding.UTF8.GetString(p.Glob)));
        Assert.False(plan.SensitivePaths.ContainsKey(202));
    }

    [Fact]
    public void The_stronger_action_wins_where_two_policies_meet()
    {
        var plan = Plan(new RuntimeRuleTable(), Pods, [Web, Db],
            Namespaced("shop", "a-alert", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["event"]}]"""),
            Namespaced("shop", "b-kill", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]}]"""));
        var rule = Assert.Single(plan.Execs).Value;
        Assert.Equal(RuleAction.Enforce, rule.Action);
        Assert.Equal("b-kill", plan.Bindings[rule.Rule].Compiled.Name);
    }

    [Fact]
    public void A_policy_of_another_namespace_or_an_excluded_service_account_selects_nothing()
    {
        var other = Compile("""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"x","namespace":"other"},"spec":{"runtime":{"rules":[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]}]}}}""");
        var excluded = Compile("""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"y"},"spec":{"exclude":{"serviceAccounts":["shop:default"]},"runtime":{"rules":[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]}]}}}""");
        Assert.Empty(Plan(new RuntimeRuleTable(), Pods, [Web, Db], other, excluded).Execs);
    }

    [Fact]
    public void The_programmer_writes_the_difference_and_removes_entries_of_pods_that_went_away()
    {
        var table = new RuntimeRuleTable();
        var maps = new RecordingMaps();
        var programmer = new RuntimeMapProgrammer(maps, table);

        Assert.Equal(1, programmer.Apply(Plan(table, Pods)));
        Assert.Equal(["set exec 101/7101"], maps.Log);
        Assert.Equal(0, programmer.Apply(Plan(table, Pods))); // same plan: nothing written

        maps.Log.Clear();
        Assert.Equal(1, programmer.Apply(Plan(table, Pods[1]))); // the web pod is gone
        Assert.Equal(["remove exec 101/7101"], maps.Log);
        Assert.Equal(0, programmer.ExecEntries);
    }

    [Fact]
    public void A_policy_change_rewrites_the_entry_under_the_new_rule_and_old_numbers_stay_unused()
    {
        var table = new RuntimeRuleTable();
        var maps = new RecordingMaps();
        var programmer = new RuntimeMapProgrammer(maps, table);
        programmer.Apply(Plan(table, Pods, [Web, Db], Namespaced("shop", "p", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]}]""")));
        var first = maps.Execs[new ExecEntry(101, 7101, 42)].Rule;

        programmer.Apply(Plan(table, Pods, [Web, Db], Namespaced("shop", "p", "web", """[{"name":"curl-renamed","executables":["/usr/bin/curl"],"response":["event"]}]""")));
        var second = maps.Execs[new ExecEntry(101, 7101, 42)];
        Assert.NotEqual(first, second.Rule);
        Assert.Equal(RuleAction.Alert, second.Action);
        Assert.Null(table.Find(first));
        Assert.Equal("curl-renamed", table.Find(second.Rule)!.Rule.Name);

        programmer.Apply(Plan(table, Pods, [Web, Db]));
        Assert.Empty(maps.Execs);
    }

    [Fact]
    public void A_container_whose_file_cannot_be_resolved_is_reported_and_skipped()
    {
        var plan = new RuntimePlanner(new RuntimeRuleTable(), (_, _) => throw new IOException("no process in its cgroup yet"))
            .Plan(Snapshot(1, Namespaced("shop", "p", "web", """[{"name":"curl","executables":["/usr/bin/curl"],"response":["kill"]}]""")), Pods, _ => null, [Web, Db]);
        Assert.Empty(plan.Execs);
        Assert.Contains("no process in its cgroup yet", Assert.Single(plan.Problems));
    }

    private sealed class RecordingMaps : IRuntimeMaps
    {
        public List<string> Log { get; } = [];
        public Dictionary<ExecEntry, ExecRule> Execs { get; } = new();
        public Dictionary<DestinationEntry, DestinationRule> Destinations { get; } = new();
        public Dictionary<ulong, ConnectMode> Modes { get; } = new();

        public void SetExec(ExecEntry entry, ExecRule rule) { Execs[entry] = rule; Log.Add($"set exec {entry.CgroupId}/{entry.Inode}"); }
        public void RemoveExec(ExecEntry entry) { Execs.Remove(entry); Log.Add($"remove exec {entry.CgroupId}/{entry.Inode}"); }
        public void SetDestination(DestinationEntry entry, DestinationRule rule) => Destinations[entry] = rule;
        public void RemoveDestination(DestinationEntry entry) => Destinations.Remove(entry);
        public void SetConnectMode(ulong cgroupId, ConnectMode mode) => Modes[cgroupId] = mode;
        public void RemoveConnectMode(ulong cgroupId) => Modes.Remove(cgroupId);
    }
}
