using System.Text;

namespace SecurityOperator.Kube.Client;

/// <summary>Parses RFC 7234 Warning header values as kube-apiserver sends them: <c>299 - "text"</c> (one header per warning,
/// adm-07; several may also be comma-separated in one value). Only code 299 (miscellaneous persistent warning) is used by
/// Kubernetes; client-go's net.ParseWarningHeaders keeps only 299 too.</summary>
public static class WarningHeader
{
    public static IEnumerable<string> Parse(string value)
    {
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && (value[i] == ' ' || value[i] == ',')) i++;
            if (i >= value.Length) yield break;
            var codeEnd = value.IndexOf(' ', i);
            if (codeEnd < 0) yield break;
            var code = value.AsSpan(i, codeEnd - i);
            var agentEnd = value.IndexOf(' ', codeEnd + 1);
            if (agentEnd < 0 || agentEnd + 1 >= value.Length || value[agentEnd + 1] != '"') yield break;
            var (text, next) = ReadQuoted(value, agentEnd + 1);
            if (next < 0) yield break;
            // An optional quoted warn-date may follow; skip it.
            i = next;
            while (i < value.Length && value[i] == ' ') i++;
            if (i < value.Length && value[i] == '"') i = ReadQuoted(value, i).Next is var after and >= 0 ? after : value.Length;
            if (code.SequenceEqual("299")) yield return text;
        }
    }

    /// <summary>Reads a quoted-string starting at the opening quote; returns the unescaped text and the index after it.</summary>
    private static (string Text, int Next) ReadQuoted(string value, int openQuote)
    {
        var text = new StringBuilder();
        for (var i = openQuote + 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length) { text.Append(value[++i]); continue; }
            if (c == '"') return (text.ToString(), i + 1);
            text.Append(c);
        }
        return ("", -1);
    }
}
