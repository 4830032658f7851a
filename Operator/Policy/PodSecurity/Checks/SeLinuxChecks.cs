using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>upstream check_seLinuxOptions.go: seLinuxOptions.type must be empty or an allowed container type; user
/// and role must be empty. v1.0 allows container_t, container_init_t, container_kvm_t; v1.31 adds container_engine_t.</summary>
internal static class SeLinuxChecks
{
    public static bool V1_0(PodFacts f, PssFinding? finding) => Check(f, finding, allowEngine: false);

    public static bool V1_31(PodFacts f, PssFinding? finding) => Check(f, finding, allowEngine: true);

    private static bool AllowedType(ReadOnlySpan<byte> type, bool allowEngine) =>
        type.Length == 0 || type.SequenceEqual("container_t"u8) || type.SequenceEqual("container_init_t"u8)
        || type.SequenceEqual("container_kvm_t"u8) || (allowEngine && type.SequenceEqual("container_engine_t"u8));

    private static bool Valid(PodFacts f, in SecurityContextFacts sc, bool allowEngine) =>
        !sc.HasSeLinuxOptions
        || (AllowedType(f.Text(sc.SeLinuxType), allowEngine) && f.Text(sc.SeLinuxUser).Length == 0 && f.Text(sc.SeLinuxRole).Length == 0);

    private static bool Check(PodFacts f, PssFinding? finding, bool allowEngine)
    {
        var podBad = !Valid(f, f.PodSecurityContext, allowEngine);
        if (podBad && finding is null) return true;
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (Valid(f, c.SecurityContext, allowEngine)) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        if (!podBad && bad is null) return false;

        var setters = new List<string>(2);
        var types = new SortedSet<string>(StringComparer.Ordinal);
        bool user = false, role = false;
        void Collect(in SecurityContextFacts sc)
        {
            if (!sc.HasSeLinuxOptions) return;
            if (!AllowedType(f.Text(sc.SeLinuxType), allowEngine)) types.Add(f.String(sc.SeLinuxType));
            user |= f.Text(sc.SeLinuxUser).Length > 0;
            role |= f.Text(sc.SeLinuxRole).Length > 0;
        }
        if (podBad) { setters.Add("pod"); Collect(f.PodSecurityContext); }
        if (bad is not null)
        {
            setters.Add(PssFinding.Containers(bad));
            foreach (ref readonly var c in new ContainerOrder(f)) Collect(c.SecurityContext);
        }
        var data = new List<string>(3);
        if (types.Count > 0) data.Add($"{PssFinding.Pluralize("type", "types", types.Count)} {PssFinding.JoinQuote(types)}");
        if (user) data.Add("user may not be set");
        if (role) data.Add("role may not be set");
        return finding!.Fail("seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}");
    }

    public static void LocateV1_0(PodFacts f, PssOffenders offenders) => Locate(f, offenders, allowEngine: false);

    public static void LocateV1_31(PodFacts f, PssOffenders offenders) => Locate(f, offenders, allowEngine: true);

    /// <summary>One offender per forbidden field (type, user, role) of the pod's and each container's seLinuxOptions.</summary>
    private static void Locate(PodFacts f, PssOffenders offenders, bool allowEngine)
    {
        LocateIn(f, offenders, -1, f.PodSecurityContext, allowEngine);
        var order = new ContainerOrder(f);
        while (order.MoveNext()) LocateIn(f, offenders, order.Index, order.Current.SecurityContext, allowEngine);
    }

    private static void LocateIn(PodFacts f, PssOffenders offenders, int container, in SecurityContextFacts sc, bool allowEngine)
    {
        if (!sc.HasSeLinuxOptions) return;
        if (!AllowedType(f.Text(sc.SeLinuxType), allowEngine)) offenders.Add(container, PssField.SeLinuxType, -1, sc.SeLinuxType);
        if (f.Text(sc.SeLinuxUser).Length > 0) offenders.Add(container, PssField.SeLinuxUser, -1, sc.SeLinuxUser);
        if (f.Text(sc.SeLinuxRole).Length > 0) offenders.Add(container, PssField.SeLinuxRole, -1, sc.SeLinuxRole);
    }
}
