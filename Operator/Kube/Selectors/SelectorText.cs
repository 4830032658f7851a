namespace SecurityOperator.Kube.Selectors;

/// <summary>A selector key or value held both as a string (for dictionaries of labels) and as UTF-8 (for labels
/// read as byte ranges from JSON), so matching never converts on the hot path.</summary>
public sealed class SelectorText
{
    public SelectorText(string text)
    {
        Text = text;
        Utf8 = System.Text.Encoding.UTF8.GetBytes(text);
    }

    public string Text { get; }
    public byte[] Utf8 { get; }

    public override string ToString() => Text;
}
