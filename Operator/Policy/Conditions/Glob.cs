namespace SecurityOperator.Policy.Conditions;

/// <summary>Glob matching over UTF-8 bytes: '*' matches any run of bytes (including '/'), '?' exactly one byte,
/// everything else itself. Linear-time with single-star backtracking (no recursion, no allocation).</summary>
public static class Glob
{
    public static bool Matches(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t])) { p++; t++; }
            else if (p < pattern.Length && pattern[p] == '*') { starP = p++; starT = t; }
            else if (starP >= 0) { p = starP + 1; t = ++starT; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
