namespace SecurityOperator.Compliance.Cis;

/// <summary>The comparisons the benchmark's audits need on a setting's value.</summary>
public enum CompareOp
{
    /// <summary>The flag (or config key) is given explicitly.</summary>
    Set,
    /// <summary>The flag (or config key) is not given.</summary>
    NotSet,
    /// <summary>Equal (booleans and numbers/durations compared as such, text ignoring case).</summary>
    Eq,
    NotEq,
    /// <summary>Numeric (or Go duration) at least / at most.</summary>
    Gte,
    Lte,
    /// <summary>The comma-separated list contains the element.</summary>
    Has,
    /// <summary>The comma-separated list does not contain the element.</summary>
    NotHave,
    /// <summary>Every element of the comma-separated list is one of the allowed (comma-separated) values.</summary>
    ValidElements,
    /// <summary>The value starts with the text (an address on a given host, whatever the port).</summary>
    StartsWith,
}
