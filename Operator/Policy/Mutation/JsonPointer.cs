using System.Text;

namespace SecurityOperator.Policy.Mutation;

/// <summary>RFC 6901 reference tokens: "~" is written "~0" and "/" is written "~1" (in that order), so a resource
/// name such as "nvidia.com/gpu" becomes "nvidia.com~1gpu".</summary>
public static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Join(string prefix, params string[] tokens)
    {
        var builder = new StringBuilder(prefix);
        foreach (var token in tokens) builder.Append('/').Append(Escape(token));
        return builder.ToString();
    }
}
