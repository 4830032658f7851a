namespace SecurityOperator.Compliance.Cis;

/// <summary>The flags of one component's command line, parsed as spf13/pflag reads them: <c>--name=value</c>,
/// <c>--name value</c> (the next argument when it is not itself a flag), or <c>--name</c> alone (a boolean, true). A
/// repeated flag keeps its last value. <see cref="Source"/> says where the command line came from, for evidence.</summary>
public sealed class ComponentFlags
{
    private readonly Dictionary<string, string> _values;

    private ComponentFlags(Dictionary<string, string> values, string source)
    {
        _values = values;
        Source = source;
    }

    public string Source { get; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? Get(string flag) => _values.TryGetValue(flag, out var value) ? value : null;

    public static ComponentFlags Parse(IReadOnlyList<string> arguments, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith('-') || argument is "-" or "--") continue;
            var name = argument.TrimStart('-');
            var equals = name.IndexOf('=');
            if (equals >= 0) values[name[..equals]] = name[(equals + 1)..];
            else if (i + 1 < arguments.Count && !arguments[i + 1].StartsWith('-')) values[name] = arguments[++i];
            else values[name] = "true";
        }
        return new ComponentFlags(values, source);
    }
}
