namespace SecurityOperator.Hosting.CommandLine;

/// <summary>How a flag takes its value on the command line.</summary>
public enum FlagKind
{
    /// <summary><c>--flag value</c> or <c>--flag=value</c>.</summary>
    Value,

    /// <summary><c>--flag</c> alone means true; <c>--flag=false</c> turns it off. Never consumes the next argument.</summary>
    Switch,

    /// <summary>May repeat; each occurrence adds a value (<c>--policy a.yaml --policy dir/</c>).</summary>
    List,
}
