namespace SecurityOperator.Runtime.Detection;

/// <summary>The rules every node agent runs. Techniques are MITRE ATT&amp;CK Enterprise ids.</summary>
public static class BuiltInRules
{
    public static readonly RuntimeRule ShellInContainer = new("shell-in-container", "Terminal shell in container", AlertPriority.Notice,
        "T1059", "A shell (sh, bash, dash, zsh, ash, ksh, csh, tcsh, fish) was executed in a container.");

    public static readonly RuntimeRule PackageManager = new("package-manager-in-container", "Package management process launched in container",
        AlertPriority.Error, "T1105", "A package manager ran in a container: images are immutable, software installed at run time is drift.");

    public static readonly RuntimeRule WriteBelowSystemDirectory = new("write-below-system-directory", "Write below binary or configuration directory",
        AlertPriority.Error, "T1543", "A file under /bin, /sbin, /usr/bin, /usr/sbin, /usr/lib, /lib or /etc was opened for writing.");

    public static readonly RuntimeRule ReadShadow = new("read-shadow", "Read sensitive file /etc/shadow", AlertPriority.Warning,
        "T1003.008", "/etc/shadow (password hashes) was opened.");

    public static readonly RuntimeRule ServiceAccountTokenRead = new("service-account-token-read", "Service account token read by a secondary process",
        AlertPriority.Warning, "T1528", "The mounted Kubernetes service-account token was opened by a process other than the container's main process.");

    public static readonly RuntimeRule CloudMetadataConnect = new("cloud-metadata-connect", "Connect to cloud instance metadata", AlertPriority.Warning,
        "T1552.005", "A connect to the cloud metadata address 169.254.169.254 (or fd00:ec2::254).");

    public static readonly RuntimeRule SetuidToRoot = new("setuid-root-by-non-root", "Non-root process changes its user id to root",
        AlertPriority.Critical, "T1548", "A process running as a non-root user called setuid/setreuid/setresuid with user id 0.");

    public static readonly RuntimeRule Drift = new("drift-executed", "Executable written after container start was executed",
        AlertPriority.Critical, "T1105", "A file that a process of the container created or wrote was then executed (container drift).");

    public static readonly RuntimeRule DeniedExecutableKilled = new("denied-executable-killed", "Denied executable killed", AlertPriority.Critical,
        "T1204", "A denied executable was executed and killed by the kernel (SIGKILL) before its first instruction.");

    public static readonly RuntimeRule DeniedConnectBlocked = new("denied-connect-blocked", "Connect to denied destination blocked",
        AlertPriority.Critical, "T1071", "A connect to a denied destination was refused by the kernel (EPERM).");

    public static readonly IReadOnlyList<RuntimeRule> All =
    [
        ShellInContainer, PackageManager, WriteBelowSystemDirectory, ReadShadow, ServiceAccountTokenRead, CloudMetadataConnect,
        SetuidToRoot, Drift, DeniedExecutableKilled, DeniedConnectBlocked,
    ];
}
