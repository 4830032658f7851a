using System.Text;
using System.Text.Json;
using SecurityOperator.Yaml;

namespace SecurityOperator.Compliance.Cis;

/// <summary>Finds a component on the host. The running process (/proc/PID/cmdline whose argv[0] is the component's
/// executable) is the truth when there is one; otherwise the static pod manifest kubeadm wrote (the container whose
/// command runs the executable: command[1..] + args). The kubelet and kube-proxy also have a config file
/// (--config, else the kubelet's default path). A manifest or config that cannot be parsed is an error of the component,
/// reported on each of its checks, never a crash.</summary>
public sealed class ComponentLocator(HostRoot root)
{
    private readonly Dictionary<KubeComponent, ComponentState> _found = new();
    private List<(int Pid, string[] Argv)>? _processes;

    public ComponentState Find(KubeComponent component)
    {
        if (!_found.TryGetValue(component, out var state)) _found[component] = state = Locate(component);
        return state;
    }

    private ComponentState Locate(KubeComponent component)
    {
        ComponentFlags? flags = null;
        foreach (var (pid, argv) in Processes())
            if (Path.GetFileName(argv[0]) == component.Binary)
            {
                flags = ComponentFlags.Parse(argv[1..], $"/proc/{pid}/cmdline");
                break;
            }
        if (flags is null && component.ManifestPath is { } manifest && root.Exists(manifest))
        {
            try { flags = FromManifest(component, manifest); }
            catch (Exception e) when (e is YamlException or JsonException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return new ComponentState(component, true, ComponentFlags.Parse([], manifest), null, null, $"{manifest}: {e.Message}");
            }
        }
        var configPath = component.ConfigFlag is null ? null : flags?.Get(component.ConfigFlag) ?? component.DefaultConfigPath;
        var hasConfig = configPath is not null && root.Exists(configPath);
        if (flags is null && !hasConfig)
            return ComponentState.Missing(component, component.ManifestPath is null
                ? $"{component.Name}: no process running it under /proc"
                : $"{component.Name}: no process running it under /proc and no {component.ManifestPath}");
        flags ??= ComponentFlags.Parse([], $"{configPath} (no {component.Name} process found)");
        if (!hasConfig) return new ComponentState(component, true, flags, configPath, null, null);
        try
        {
            return new ComponentState(component, true, flags, configPath, ReadYamlObject(configPath!), null);
        }
        catch (Exception e) when (e is YamlException or JsonException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new ComponentState(component, true, flags, configPath, null, $"{configPath}: {e.Message}");
        }
    }

    private ComponentFlags FromManifest(KubeComponent component, string manifest)
    {
        var pod = ReadYamlObject(manifest);
        if (!pod.TryGetProperty("spec", out var spec) || !spec.TryGetProperty("containers", out var containers) || containers.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("not a pod: no spec.containers list");
        foreach (var container in containers.EnumerateArray())
        {
            var command = Strings(container, "command");
            var args = Strings(container, "args");
            var name = container.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (command.Count > 0 && Path.GetFileName(command[0]) == component.Binary)
                return ComponentFlags.Parse([.. command.Skip(1), .. args], manifest);
            if (name == component.Name) return ComponentFlags.Parse([.. command, .. args], manifest);
        }
        throw new InvalidDataException($"no container runs {component.Binary}");
    }

    private static List<string> Strings(JsonElement container, string property)
    {
        var list = new List<string>();
        if (container.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array)
            foreach (var item in array.EnumerateArray())
                list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        return list;
    }

    private JsonElement ReadYamlObject(string hostPath)
    {
        var (_, local) = root.ResolveLinks(hostPath);
        var documents = YamlToJson.ConvertAll(File.ReadAllText(local), hostPath);
        if (documents.Count == 0) throw new InvalidDataException("empty document");
        using var json = JsonDocument.Parse(documents[0].Json);
        if (json.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("not a YAML mapping");
        return json.RootElement.Clone();
    }

    private List<(int Pid, string[] Argv)> Processes()
    {
        if (_processes is not null) return _processes;
        _processes = [];
        var proc = root.Resolve("/proc");
        if (!Directory.Exists(proc)) return _processes;
        foreach (var directory in Directory.EnumerateDirectories(proc))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var bytes = File.ReadAllBytes(Path.Join(directory, "cmdline"));
                var argv = Encoding.UTF8.GetString(bytes).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (argv.Length > 0) _processes.Add((pid, argv));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we listed /proc, or we may not read it: it is not one we can audit.
            }
        }
        _processes.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return _processes;
    }
}
