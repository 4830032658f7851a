namespace SecurityOperator.Policy.Conditions;

/// <summary>The closed set of condition kinds a rule may use; the key in the policy is <see cref="ConditionKeys"/>.</summary>
public enum ConditionKind : byte
{
    ImageNotFromRegistry, ForbiddenImages, ImageTagLatestOrMissing, ImageNotPinnedByDigest, RunAsRoot,
    PrivilegedContainer, AllowPrivilegeEscalation, HostNetwork, HostPID, HostIPC, HostPath, HostPorts,
    MissingSecurityContext, MissingResourceLimits, MissingResourceRequests, ReadOnlyRootFilesystemMissing,
    UnsafeCapabilities, ExposedSecrets, RequiredLabels, MaxContainers, PodSecurity, ImageSignature,
}

public static class ConditionKeys
{
    private static readonly string[] Keys =
    [
        "imageNotFromRegistry", "forbiddenImages", "imageTagLatestOrMissing", "imageNotPinnedByDigest", "runAsRoot",
        "privilegedContainer", "allowPrivilegeEscalation", "hostNetwork", "hostPID", "hostIPC", "hostPath", "hostPorts",
        "missingSecurityContext", "missingResourceLimits", "missingResourceRequests", "readOnlyRootFilesystemMissing",
        "unsafeCapabilities", "exposedSecrets", "requiredLabels", "maxContainers", "podSecurity", "imageSignature",
    ];

    public static string Key(this ConditionKind kind) => Keys[(int)kind];

    public static bool TryParse(string key, out ConditionKind kind)
    {
        var index = Array.IndexOf(Keys, key);
        kind = (ConditionKind)Math.Max(index, 0);
        return index >= 0;
    }

    public static IReadOnlyList<string> All => Keys;
}
