using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Benchmarks.Controllers;

// A diagnostic under the JIT, not the product: reflection is how it finds and sizes what the runtime holds.
#pragma warning disable IL2026, IL2070, IL2072, IL2075

/// <summary>What the controller holds at 10,000 pods, by type, without a heap dump tool (dotnet-gcdump reads no Native
/// AOT process and is not installable here): runs a <see cref="ControllerRuntime"/> in this process against
/// <see cref="ScaleCluster"/> until every report is written, then walks every object reachable from the runtime
/// (skipping the API double, ASP.NET Core, System.Net and JsonNode) and prints bytes and counts per type, the strings
/// by the field that holds them, and the compressed JSON the audit cache keeps beside each object (held in a
/// ConditionalWeakTable, which the walk does not follow). Sizes are the runtime's base sizes; the walk is first-seen,
/// so a shared object counts once. Usage: <c>controller-scale --heap-census [NAMESPACES=100]</c>.</summary>
internal static class ControllerHeapCensus
{
    public static async Task<int> RunAsync(string[] args)
    {
        var namespaces = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        await using var api = await ScaleCluster.StartAsync();
        ScaleCluster.Seed(api, namespaces);
        var directory = Directory.CreateTempSubdirectory("heap-census-").FullName;
        var client = new KubeClient(KubeConfigLocator.LoadFiles([api.WriteKubeconfig(Path.Combine(directory, "kubeconfig"), "security-operator")], missingIsError: true));
        var before = Live();
        var runtime = new ControllerRuntime(client, new ControllerSettings(), new MetricsRegistry(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        _ = runtime.RunInformersAsync(stop.Token);
        _ = runtime.LeadAsync(stop.Token);
        await runtime.WaitForSyncAsync(CancellationToken.None);
        for (var i = 0; i < 600 && api.List(ResourceCatalog.PolicyReports).Count < namespaces; i++) await Task.Delay(500);
        await Task.Delay(2000); // the informer sees the last writes
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed heap growth since before the runtime (the double's growth included): {(Live() - before) / Mb:F1} MB"));

        var census = new Census();
        census.Walk(runtime);
        var (json, arrays) = CachedJson(runtime);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit cache JSON: {json / Mb:F1} MB in {arrays} arrays"));
        census.Print(Console.Out, 40);
        await stop.CancelAsync();
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    private const double Mb = 1024 * 1024;

    private static long Live()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static (long Bytes, int Arrays) CachedJson(ControllerRuntime runtime)
    {
        long bytes = 0;
        var arrays = 0;
        var kinds = (IEnumerable)typeof(ControllerRuntime).GetField("_kinds", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(runtime)!;
        foreach (var kind in kinds)
            foreach (var entry in (IEnumerable)kind.GetType().GetField("_json", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(kind)!)
            {
                bytes += 24 + ((byte[])entry.GetType().GetProperty("Value")!.GetValue(entry)!).Length;
                arrays++;
            }
        return (bytes, arrays);
    }

    private sealed class Census
    {
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Type, (long Count, long Bytes)> _byType = [];
        private readonly Dictionary<string, long> _stringsByField = new(StringComparer.Ordinal);
        private readonly Dictionary<Type, FieldInfo[]> _fields = [];
        private readonly Stack<object> _pending = new();
        private long _total;

        public void Walk(object root)
        {
            _pending.Push(root);
            while (_pending.TryPop(out var obj))
            {
                if (!_seen.Add(obj)) continue;
                var type = obj.GetType();
                if (Skipped(type)) continue;
                long size;
                if (obj is string s) size = Align(22 + 2L * s.Length);
                else if (obj is Array array)
                {
                    var element = type.GetElementType()!;
                    size = Align(24 + (element.IsValueType ? ValueSize(element) : 8) * array.LongLength);
                    if (!element.IsPrimitive && !element.IsPointer && !element.IsEnum)
                        foreach (var item in array)
                            if (item is null) continue;
                            else if (element.IsValueType) PushFields(item, element);
                            else _pending.Push(item);
                }
                else
                {
                    size = BaseSize(type);
                    PushFields(obj, type);
                }
                var (count, bytes) = _byType.GetValueOrDefault(type);
                _byType[type] = (count + 1, bytes + size);
                _total += size;
            }
        }

        private static bool Skipped(Type type) =>
            type.Namespace is { } ns && (ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || ns.StartsWith("SecurityOperator.Tests", StringComparison.Ordinal)
                                         || ns.StartsWith("System.Net", StringComparison.Ordinal) || ns == "System.Text.Json.Nodes");

        private void PushFields(object obj, Type type)
        {
            foreach (var field in Fields(type))
            {
                if (field.FieldType.IsPrimitive || field.FieldType.IsPointer || field.FieldType.IsEnum) continue;
                object? value;
                try { value = field.GetValue(obj); }
                catch (Exception e) when (e is NotSupportedException or FieldAccessException) { continue; } // by-ref-like and runtime-internal fields
                if (value is null) continue;
                if (value is string s && !_seen.Contains(s))
                {
                    var key = $"{type.Name}.{field.Name}";
                    _stringsByField[key] = _stringsByField.GetValueOrDefault(key) + Align(22 + 2L * s.Length);
                }
                if (field.FieldType.IsValueType) PushFields(value, field.FieldType);
                else _pending.Push(value);
            }
        }

        private FieldInfo[] Fields(Type type)
        {
            if (_fields.TryGetValue(type, out var known)) return known;
            var all = new List<FieldInfo>();
            for (var t = type; t is not null; t = t.BaseType)
                all.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            return _fields[type] = [.. all];
        }

        private static long Align(long bytes) => (bytes + 7) & ~7L;

        // The MethodTable's base size (object header and method table pointer included) at offset 4.
        private static long BaseSize(Type type) => Marshal.ReadInt32(type.TypeHandle.Value, 4);

        private static long ValueSize(Type type) =>
            type.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(type)) : type.IsPrimitive ? Marshal.SizeOf(type) : BaseSize(type) - 16;

        public void Print(TextWriter output, int top)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reachable from the runtime: {_total / Mb:F1} MB in {_seen.Count} objects"));
            foreach (var (type, (count, bytes)) in _byType.OrderByDescending(p => p.Value.Bytes).Take(top))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / Mb,8:F2} MB {count,9} {type}"));
            output.WriteLine("strings by the field that holds them (first seen):");
            foreach (var (field, bytes) in _stringsByField.OrderByDescending(p => p.Value).Take(top / 2))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / Mb,8:F2} MB {field}"));
        }
    }
}
