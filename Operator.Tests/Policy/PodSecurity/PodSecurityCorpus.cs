using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>One upstream check as listed in Fixtures/checks.json.</summary>
internal sealed record PodSecurityCorpusCheck(
    string Id,
    string Level,
    IReadOnlyList<int> RevisionMinors,
    IReadOnlyList<(string Check, int FromMinor)> Overrides);

/// <summary>
/// One expectation: evaluating <see cref="PodJson"/> at <see cref="Level"/> and <see cref="Version"/> must fail
/// exactly <see cref="ExpectedFailures"/> (empty = allowed).
/// </summary>
internal sealed record PodSecurityCorpusRow(
    string File,
    string CheckUnderTest,
    string Case,
    string What,
    string Level,
    string Version,
    IReadOnlyList<string> ExpectedFailures,
    string Why,
    string Source,
    byte[] PodJson)
{
    public string Key => $"{File}:{Case}@{Level}/{Version}";

    public override string ToString() => Key;
}

/// <summary>
/// Loads the Pod Security conformance corpus (Fixtures/*.json, format in Fixtures/README.md) into rows.
/// Independent of the evaluator under test, so the corpus can be checked and extended on its own.
/// </summary>
internal sealed class PodSecurityCorpus
{
    public const string ChecksFile = "checks.json";
    public const string BasesFile = "bases.json";

    private static readonly Lazy<PodSecurityCorpus> DefaultCorpus = new(() => Load(FindFixturesDirectory()));

    private PodSecurityCorpus(
        IReadOnlyList<PodSecurityCorpusCheck> checks,
        IReadOnlyDictionary<string, JsonObject> bases,
        IReadOnlyList<PodSecurityCorpusRow> rows,
        IReadOnlyList<string> caseFileChecks)
    {
        Checks = checks;
        Bases = bases;
        Rows = rows;
        CaseFileChecks = caseFileChecks;
        RowsByKey = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
    }

    public static PodSecurityCorpus Default => DefaultCorpus.Value;

    public IReadOnlyList<PodSecurityCorpusCheck> Checks { get; }

    public IReadOnlyDictionary<string, JsonObject> Bases { get; }

    public IReadOnlyList<PodSecurityCorpusRow> Rows { get; }

    /// <summary>The "check" named by each case file (an empty string for cross-cutting files).</summary>
    public IReadOnlyList<string> CaseFileChecks { get; }

    public IReadOnlyDictionary<string, PodSecurityCorpusRow> RowsByKey { get; }

    /// <summary>Newest revision of any check: what "latest" and any newer version are evaluated as.</summary>
    public int MaxMinor => Checks.SelectMany(c => c.RevisionMinors).Max();

    /// <summary>"v1.N" gives N, "latest" gives null; anything else is an error naming the text.</summary>
    public static int? ParseVersion(string text)
    {
        if (text == "latest")
        {
            return null;
        }

        if (text.StartsWith("v1.", StringComparison.Ordinal) &&
            int.TryParse(text.AsSpan(3), System.Globalization.NumberStyles.None, null, out var minor) &&
            minor.ToString(System.Globalization.CultureInfo.InvariantCulture) == text[3..])
        {
            return minor;
        }

        throw new FormatException($"version '{text}': must be \"latest\" or \"v1.N\"");
    }

    public static PodSecurityCorpus Load(string directory)
    {
        var checks = LoadChecks(Path.Combine(directory, ChecksFile));
        var bases = LoadBases(Path.Combine(directory, BasesFile));
        var rows = new List<PodSecurityCorpusRow>();
        var caseFileChecks = new List<string>();
        var caseFiles = Directory.GetFiles(directory, "*.json")
            .Where(f => Path.GetFileName(f) is not (ChecksFile or BasesFile))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var path in caseFiles)
        {
            caseFileChecks.Add(LoadCaseFile(path, bases, rows));
        }

        var duplicate = rows.GroupBy(r => r.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{duplicate.First().File}: expectation {duplicate.Key} is listed more than once");
        }

        return new PodSecurityCorpus(checks, bases, rows, caseFileChecks);
    }

    public static string FindFixturesDirectory()
    {
        var relative = Path.Combine("Policy", "PodSecurity", "Fixtures");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, relative), Path.Combine(dir.FullName, "Operator.Tests", relative) })
            {
                if (File.Exists(Path.Combine(candidate, ChecksFile)))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"Pod Security fixtures: no Operator.Tests/{relative.Replace('\\', '/')}/{ChecksFile} above {AppContext.BaseDirectory}");
    }

    private static List<PodSecurityCorpusCheck> LoadChecks(string path)
    {
        var root = ReadObject(path);
        var checks = new List<PodSecurityCorpusCheck>();
        foreach (var node in RequiredArray(root, "checks", path))
        {
            var check = AsObject(node, path, "checks[]");
            var id = RequiredString(check, "id", path);
            var revisions = RequiredArray(check, "revisions", path)
                .Select(v => ParseVersion(v?.GetValue<string>() ?? "") ?? throw new FormatException($"{path}: {id}: a revision cannot be latest"))
                .ToList();
            var overrides = (check["overrides"] as JsonArray ?? [])
                .Select(o => AsObject(o, path, id + ".overrides[]"))
                .Select(o => (RequiredString(o, "check", path), ParseVersion(RequiredString(o, "from", path)) ?? 0))
                .ToList();
            checks.Add(new PodSecurityCorpusCheck(id, RequiredString(check, "level", path), revisions, overrides));
        }

        return checks;
    }

    private static Dictionary<string, JsonObject> LoadBases(string path)
    {
        var bases = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var node in RequiredArray(ReadObject(path), "bases", path))
        {
            var entry = AsObject(node, path, "bases[]");
            var name = RequiredString(entry, "name", path);
            RequiredString(entry, "why", path);
            JsonObject pod;
            if (entry["pod"] is JsonObject literal)
            {
                pod = (JsonObject)literal.DeepClone();
            }
            else
            {
                var parent = RequiredString(entry, "extends", path);
                pod = bases.TryGetValue(parent, out var p)
                    ? (JsonObject)p.DeepClone()
                    : throw new FormatException($"{path}: base '{name}' extends '{parent}', which is not defined above it");
            }

            ApplyEdits(pod, entry["set"], $"{path}: base '{name}'");
            if (!bases.TryAdd(name, pod))
            {
                throw new FormatException($"{path}: base '{name}' is defined twice");
            }
        }

        return bases;
    }

    private static string LoadCaseFile(string path, Dictionary<string, JsonObject> bases, List<PodSecurityCorpusRow> rows)
    {
        var file = Path.GetFileNameWithoutExtension(path);
        var root = ReadObject(path);
        var checkUnderTest = root["check"]?.GetValue<string>() ?? "";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in RequiredArray(root, "cases", path))
        {
            var entry = AsObject(node, path, "cases[]");
            var name = RequiredString(entry, "name", path);
            var where = $"{path}: case '{name}'";
            if (!names.Add(name))
            {
                throw new FormatException($"{where}: name used twice in this file");
            }

            var what = RequiredString(entry, "what", where);
            var podJson = entry["rawPod"] is not null ? RawPod(entry, where) : EditedBase(entry, bases, where);
            var source = entry["source"]?.GetValue<string>() ?? "upstream";
            foreach (var expectNode in RequiredArray(entry, "expect", where))
            {
                var expect = AsObject(expectNode, where, "expect[]");
                var level = RequiredString(expect, "level", where);
                var why = RequiredString(expect, "why", where);
                var fail = RequiredArray(expect, "fail", where).Select(f => f?.GetValue<string>() ?? "").ToList();
                foreach (var versionNode in RequiredArray(expect, "versions", where))
                {
                    var version = versionNode?.GetValue<string>() ?? "";
                    try
                    {
                        ParseVersion(version);
                    }
                    catch (FormatException e)
                    {
                        throw new FormatException($"{where}: {e.Message}", e);
                    }

                    rows.Add(new PodSecurityCorpusRow(file, checkUnderTest, name, what, level, version, fail, why, source, podJson));
                }
            }
        }

        return checkUnderTest;
    }

    private static byte[] EditedBase(JsonObject entry, Dictionary<string, JsonObject> bases, string where)
    {
        var baseName = RequiredString(entry, "base", where);
        if (!bases.TryGetValue(baseName, out var basePod))
        {
            throw new FormatException($"{where}: unknown base '{baseName}'");
        }

        var pod = (JsonObject)basePod.DeepClone();
        ApplyEdits(pod, entry["set"], where);
        return Encoding.UTF8.GetBytes(pod.ToJsonString());
    }

    /// <summary>
    /// A pod given as exact JSON text, for what a re-serialised node cannot express: escapes, member order.
    /// It must still parse, so a typo fails here rather than as an evaluator finding.
    /// </summary>
    private static byte[] RawPod(JsonObject entry, string where)
    {
        if (entry["base"] is not null || entry["set"] is not null)
        {
            throw new FormatException($"{where}: 'rawPod' replaces 'base' and 'set'; give one or the other");
        }

        var text = RequiredString(entry, "rawPod", where);
        try
        {
            _ = JsonNode.Parse(text) as JsonObject ?? throw new FormatException($"{where}: 'rawPod' must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{where}: 'rawPod' is not valid JSON: {e.Message}", e);
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static void ApplyEdits(JsonObject pod, JsonNode? edits, string where)
    {
        if (edits is null)
        {
            return;
        }

        if (edits is not JsonObject editObject)
        {
            throw new FormatException($"{where}: 'set' must be an object of pointer -> value");
        }

        foreach (var (pointer, value) in editObject)
        {
            try
            {
                PodSecurityFixtureEdits.Apply(pod, pointer, value);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{where}: {e.Message}", e);
            }
        }
    }

    private static JsonObject ReadObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new FormatException($"{path}: top level must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: invalid JSON: {e.Message}", e);
        }
    }

    private static JsonObject AsObject(JsonNode? node, string where, string what) =>
        node as JsonObject ?? throw new FormatException($"{where}: {what} must be an object");

    private static JsonArray RequiredArray(JsonObject obj, string name, string where) =>
        obj[name] as JsonArray ?? throw new FormatException($"{where}: '{name}' must be an array");

    private static string RequiredString(JsonObject obj, string name, string where) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s
            : throw new FormatException($"{where}: '{name}' must be a non-empty string");
}
