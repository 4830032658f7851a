namespace SecurityOperator.Compliance.Cis;

/// <summary>User and group names of the host (its /etc/passwd and /etc/group under the host root, not this
/// container's), to resolve names such as etcd:etcd. uid 0 and gid 0 are root whatever the files say.</summary>
public sealed class HostAccounts
{
    private readonly Dictionary<string, int> _users;
    private readonly Dictionary<string, int> _groups;

    private HostAccounts(Dictionary<string, int> users, Dictionary<string, int> groups)
    {
        _users = users;
        _groups = groups;
    }

    public static HostAccounts Read(HostRoot root) =>
        new(ReadIds(root.Resolve("/etc/passwd")), ReadIds(root.Resolve("/etc/group")));

    public int? UserId(string name) => name == "root" ? 0 : _users.TryGetValue(name, out var id) ? id : null;

    public int? GroupId(string name) => name == "root" ? 0 : _groups.TryGetValue(name, out var id) ? id : null;

    public string UserName(int uid) => uid == 0 ? "root" : _users.FirstOrDefault(u => u.Value == uid).Key ?? uid.ToString();

    public string GroupName(int gid) => gid == 0 ? "root" : _groups.FirstOrDefault(g => g.Value == gid).Key ?? gid.ToString();

    // Both files are "name:password:id:...": the id is the third field.
    private static Dictionary<string, int> ReadIds(string path)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(path)) return ids;
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && !line.StartsWith('#') && int.TryParse(fields[2], out var id)) ids.TryAdd(fields[0], id);
        }
        return ids;
    }
}
