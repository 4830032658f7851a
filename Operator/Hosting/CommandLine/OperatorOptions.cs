using System.Globalization;
using System.Net;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>The parsed, validated command line: one value per flag (command line, else environment, else default),
/// list flags as lists, and positional arguments.</summary>
public sealed class OperatorOptions
{
    private readonly Dictionary<string, string?> _values;
    private readonly Dictionary<string, List<string>> _lists;

    internal OperatorOptions(Dictionary<string, string?> values, Dictionary<string, List<string>> lists, List<string> positional)
    {
        _values = values;
        _lists = lists;
        Positional = positional;
    }

    public IReadOnlyList<string> Positional { get; }

    public string Role => GetString(Flags.Role) ?? "";

    public string? GetString(FlagDefinition flag) => _values.TryGetValue(flag.Name, out var v) ? v : flag.Default;

    public IReadOnlyList<string> GetList(FlagDefinition flag) =>
        _lists.TryGetValue(flag.Name, out var list) ? list : Array.Empty<string>();

    public bool GetBool(FlagDefinition flag) => FlagValidators.ParseBoolean(GetString(flag) ?? "false") ?? false;

    public double GetDouble(FlagDefinition flag) => double.Parse(GetString(flag)!, CultureInfo.InvariantCulture);

    public int GetInt(FlagDefinition flag) => int.Parse(GetString(flag)!, CultureInfo.InvariantCulture);

    public TimeSpan GetDuration(FlagDefinition flag) => DurationParser.Parse(GetString(flag)!);

    public IPEndPoint GetListenAddress(FlagDefinition flag) => ListenAddressParser.Parse(GetString(flag)!);

    /// <summary>Where the value came from, for the start-up log line: "flag", "env" or "default".</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();
}
