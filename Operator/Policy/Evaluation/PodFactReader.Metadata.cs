using System.Text.Json;

namespace SecurityOperator.Policy.Evaluation;

internal ref partial struct PodFactReader
{
    // Annotations read by Pod Security: seccomp (policy versions below 1.19) and AppArmor (all versions).
    private static ReadOnlySpan<byte> SeccompPodAnnotation => "seccomp.security.alpha.kubernetes.io/pod"u8;
    private static ReadOnlySpan<byte> SeccompContainerAnnotationPrefix => "container.seccomp.security.alpha.kubernetes.io/"u8;
    private static ReadOnlySpan<byte> AppArmorContainerAnnotationPrefix => "container.apparmor.security.beta.kubernetes.io/"u8;

    private void ReadMetadata()
    {
        while (NextProperty())
        {
            if (Is("name"u8)) ReadName();
            else if (Is("namespace"u8)) _facts.Namespace = ReadString("namespace");
            else if (Is("labels"u8)) { if (EnterObject("labels")) ReadLabels(); }
            else if (Is("annotations"u8)) { if (EnterObject("annotations")) ReadAnnotations(); }
            else _reader.Skip();
        }
    }

    /// <summary>metadata.name, and where its raw text lies (only a string moves it, as in the locator's own reading).</summary>
    private void ReadName()
    {
        _facts.Name = ReadString("name");
        if (_reader.TokenType != JsonTokenType.String) return;
        _facts.RawNameStart = _reader.TokenStartIndex + 1; // past the opening quote
        _facts.RawNameLength = _reader.ValueSpan.Length;
    }

    private void ReadLabels()
    {
        while (NextProperty())
        {
            var key = CopyCurrent();
            var value = ReadString("labels");
            _facts.Labels.Add(new KeyValueFact(key, value));
        }
    }

    private void ReadAnnotations()
    {
        while (NextProperty())
        {
            // _name is already unescaped: decide before copying anything.
            var kept = _name.SequenceEqual(SeccompPodAnnotation)
                || _name.StartsWith(SeccompContainerAnnotationPrefix)
                || _name.StartsWith(AppArmorContainerAnnotationPrefix);
            if (!kept)
            {
                Next();
                if (_reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null)) throw TypeError("annotations", "a string");
                continue;
            }
            var key = CopyCurrent();
            _facts.Annotations.Add(new KeyValueFact(key, ReadString("annotations")));
        }
    }
}
