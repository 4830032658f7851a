namespace SecurityOperator.Yaml;

internal enum YamlScalarType
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// <summary>A scalar after type resolution. Ints keep Go's int64/uint64 split so values above long.MaxValue survive.</summary>
internal readonly record struct YamlScalar(YamlScalarType Type, string Text, bool Bool, long Int, ulong UInt, bool IsUnsigned, double Float)
{
    public static YamlScalar Null => new(YamlScalarType.Null, "", false, 0, 0, false, 0);
    public static YamlScalar OfString(string text) => new(YamlScalarType.String, text, false, 0, 0, false, 0);
    public static YamlScalar OfBool(bool value) => new(YamlScalarType.Bool, "", value, 0, 0, false, 0);
    public static YamlScalar OfInt(long value) => new(YamlScalarType.Int, "", false, value, 0, false, value);
    public static YamlScalar OfUInt(ulong value) => new(YamlScalarType.Int, "", false, 0, value, true, value);
    public static YamlScalar OfFloat(double value) => new(YamlScalarType.Float, "", false, 0, 0, false, value);
}
