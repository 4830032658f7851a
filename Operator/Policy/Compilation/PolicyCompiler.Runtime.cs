using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SecurityOperator.Policy.Api;

namespace SecurityOperator.Policy.Compilation;

public static partial class PolicyCompiler
{
    /// <summary>Longest path the kernel takes (PATH_MAX, including the NUL).</summary>
    private const int MaxPathLength = 4095;

    private static List<CompiledRuntimeRule> CompileRuntime(RuntimeSpec? runtime, List<string> errors)
    {
        var compiled = new List<CompiledRuntimeRule>();
        if (runtime is null) return compiled;
        ReportUnknown(runtime.Unknown, "spec.runtime.", errors);
        if (runtime.Rules is not { Count: > 0 })
        {
            errors.Add("spec.runtime.rules: must be a non-empty list of runtime rules");
            return compiled;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < runtime.Rules.Count; r++)
        {
            var path = $"spec.runtime.rules[{r}]";
            var rule = runtime.Rules[r];
            if (rule is null) { errors.Add($"{path}: must be an object"); continue; }
            var before = errors.Count;
            ReportUnknown(rule.Unknown, path + ".", errors);
            if (string.IsNullOrWhiteSpace(rule.Name)) errors.Add($"{path}.name: required");
            else if (!names.Add(rule.Name)) errors.Add($"{path}.name: duplicate runtime rule name \"{rule.Name}\"");

            var kinds = (rule.Executables is null ? 0 : 1) + (rule.Connect is null ? 0 : 1) + (rule.SensitivePaths is null ? 0 : 1);
            if (kinds != 1)
            {
                errors.Add($"{path}: must have exactly one of executables, connect, sensitivePaths (found {kinds})");
                continue;
            }
            var kind = rule.Executables is not null ? RuntimeRuleKind.Executables : rule.Connect is not null ? RuntimeRuleKind.Connect : RuntimeRuleKind.SensitivePaths;
            var executables = kind == RuntimeRuleKind.Executables ? Executables(rule.Executables!, $"{path}.executables", errors) : [];
            var sensitive = kind == RuntimeRuleKind.SensitivePaths ? SensitivePaths(rule.SensitivePaths!, $"{path}.sensitivePaths", errors) : [];
            List<RuntimeDestination> denied = [];
            List<RuntimeDestination>? allowed = null;
            if (rule.Connect is { } connect)
            {
                ReportUnknown(connect.Unknown, $"{path}.connect.", errors);
                if (connect.Denied is not { Count: > 0 } && connect.Allowed is null)
                    errors.Add($"{path}.connect: needs denied (a non-empty list) or allowed (everything else is denied)");
                denied = Destinations(connect.Denied, $"{path}.connect.denied", errors);
                if (connect.Allowed is not null) allowed = Destinations(connect.Allowed, $"{path}.connect.allowed", errors);
            }
            var (responses, quarantine) = Responses(rule.Response, kind, $"{path}.response", errors);
            if (errors.Count == before)
                compiled.Add(new CompiledRuntimeRule(r, rule.Name!, rule.Description, kind, executables, denied, allowed, sensitive, responses, quarantine));
        }
        return compiled;
    }

    private static List<string> Executables(List<string?> paths, string path, List<string> errors)
    {
        var result = new List<string>();
        if (paths.Count == 0) errors.Add($"{path}: must be a non-empty list of absolute paths");
        for (var i = 0; i < paths.Count; i++)
        {
            var value = paths[i] ?? "";
            var at = $"{path}[{i}]";
            if (AbsolutePathProblem(value) is { } problem) errors.Add($"{at}: {problem}");
            // The kernel matches the file's identity, resolved from this path in each container: a pattern names no file.
            else if (value.AsSpan().IndexOfAny('*', '?', '[') >= 0)
                errors.Add($"{at}: \"{value}\" is a pattern; executables are exact paths (the kernel matches the file they name, resolved in each container)");
            else if (value.Contains("//", StringComparison.Ordinal) || value.Contains("/./", StringComparison.Ordinal) || value.Contains("/../", StringComparison.Ordinal)
                     || value.EndsWith("/.", StringComparison.Ordinal) || value.EndsWith("/..", StringComparison.Ordinal) || (value.Length > 1 && value.EndsWith('/')))
                errors.Add($"{at}: \"{value}\" is not a normalized path (no //, /./, /../ or trailing /)");
            else result.Add(value);
        }
        return result;
    }

    private static List<string> SensitivePaths(List<string?> paths, string path, List<string> errors)
    {
        var result = new List<string>();
        if (paths.Count == 0) errors.Add($"{path}: must be a non-empty list of absolute paths or globs (* any run of characters, ? one)");
        for (var i = 0; i < paths.Count; i++)
        {
            if (AbsolutePathProblem(paths[i]) is { } problem) errors.Add($"{path}[{i}]: {problem}");
            else result.Add(paths[i]!);
        }
        return result;
    }

    private static string? AbsolutePathProblem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "must be a non-empty absolute path";
        if (value[0] != '/') return $"\"{value}\" is not absolute (must start with /)";
        if (value.Contains('\0')) return "must not contain NUL";
        if (value.Length > MaxPathLength) return $"longer than {MaxPathLength} characters";
        return null;
    }

    private static List<RuntimeDestination> Destinations(List<RuntimeDestinationSpec?>? list, string path, List<string> errors)
    {
        var result = new List<RuntimeDestination>();
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            if (list![i] is not { } destination) { errors.Add($"{at}: must be an object with cidr (and port)"); continue; }
            ReportUnknown(destination.Unknown, at + ".", errors);
            var ok = true;
            if (!TryParseCidr(destination.Cidr, out var address, out var bits))
            {
                errors.Add($"{at}.cidr: \"{destination.Cidr}\" is not an IPv4 or IPv6 address or CIDR (10.0.0.0/8, 169.254.169.254, fd00::/8)");
                ok = false;
            }
            if (destination.Port is { } port && (port < 1 || port > 65535))
            {
                errors.Add($"{at}.port: {port} is not a port (1-65535; leave it out for every port)");
                ok = false;
            }
            if (ok)
                result.Add(new RuntimeDestination(address, bits, (ushort)(destination.Port ?? 0),
                    destination.Port is { } p ? $"{destination.Cidr} port {p}" : destination.Cidr!));
        }
        return result;
    }

    internal static bool TryParseCidr(string? cidr, out IPAddress address, out int prefixBits)
    {
        address = IPAddress.None;
        prefixBits = -1;
        if (string.IsNullOrEmpty(cidr)) return false;
        var slash = cidr.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out var parsed)) return false;
        if (parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId != 0) return false; // fe80::1%eth0 names no destination across nodes
        address = parsed;
        var max = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefixBits = max;
            return true;
        }
        return int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefixBits) && prefixBits <= max;
    }

    private static (RuntimeResponse, QuarantineAction?) Responses(List<JsonElement>? response, RuntimeRuleKind kind, string path, List<string> errors)
    {
        var result = RuntimeResponse.Log;
        QuarantineAction? quarantine = null;
        if (response is not { Count: > 0 })
        {
            errors.Add($"{path}: must be a non-empty list of responses (log, event, quarantine, kill, block)");
            return (result, null);
        }
        for (var i = 0; i < response.Count; i++)
        {
            var item = response[i];
            var at = $"{path}[{i}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                switch (item.GetString())
                {
                    case "log": break;
                    case "event": result |= RuntimeResponse.Event; break;
                    case "quarantine": result |= RuntimeResponse.Quarantine; quarantine ??= new QuarantineAction(null); break;
                    case "kill" when kind == RuntimeRuleKind.Executables: result |= RuntimeResponse.Kill; break;
                    case "kill": errors.Add($"{at}: kill applies to executables rules only (the kernel kills at exec)"); break;
                    case "block" when kind == RuntimeRuleKind.Connect: result |= RuntimeResponse.Block; break;
                    case "block": errors.Add($"{at}: block applies to connect rules only (the kernel refuses the connect)"); break;
                    default: errors.Add($"{at}: unknown response \"{item.GetString()}\" (expected log, event, quarantine, kill, block)"); break;
                }
                continue;
            }
            if (ActionParser.SingleKey(item, at, errors) is not { } pair) continue;
            if (pair.Key != "quarantine")
            {
                errors.Add($"{at}.{pair.Key}: unknown response (only quarantine takes settings: {{quarantine: {{duration: 1h}}}})");
                continue;
            }
            if (ActionParser.ParseQuarantine(pair.Value, $"{at}.quarantine", errors) is { } parsed)
            {
                quarantine = parsed;
                result |= RuntimeResponse.Quarantine;
            }
        }
        return (result, quarantine);
    }
}
