using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>What the warm imageSignature path needs from an AdmissionReview body, found in one pass that jumps over
/// everything else (<see cref="JsonSkipper"/>): request.namespace, request.operation, whether request.object is there,
/// and the image of every container (containers, initContainers, ephemeralContainers, in document order) of the
/// object's pod template. It reads only well-formed, common input; for anything else (an escaped key or value, a
/// field of an unexpected type, a duplicate member whose meaning depends on which copy wins, an unknown kind, a size or
/// depth limit) it says <see cref="Sure"/> false and the caller asks the exact readers (AdmissionReviewReader,
/// PodTemplateLocator, PodFactReader), so where it answers, it answers as they do.</summary>
internal ref struct AdmissionImageScan
{
    private static readonly byte[][] KindNames = Enum.GetNames<WorkloadKind>().Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

    private static readonly string[] TemplatePath = ["template"];
    private static readonly string[] CronJobPath = ["jobTemplate", "spec", "template"];

    private readonly List<ImageRange> _images;
    private JsonSkipper _json;

    /// <summary>False when in doubt: the exact readers decide.</summary>
    public bool Sure { get; private set; }
    public ReadOnlySpan<byte> Namespace { get; private set; }
    public bool HasNamespace { get; private set; }
    public AdmissionOperation Operation { get; private set; }
    public bool HasObject { get; private set; }

    private AdmissionImageScan(ReadOnlySpan<byte> body, List<ImageRange> images)
    {
        _images = images;
        _json = new JsonSkipper(body);
    }

    /// <summary>Scans <paramref name="body"/>; <paramref name="images"/> (cleared first) receives the images' ranges
    /// of the body, raw JSON string contents (never escaped). Images that are null or absent are left out, as the
    /// imageSignature condition ignores them.</summary>
    public static AdmissionImageScan Scan(ReadOnlySpan<byte> body, List<ImageRange> images)
    {
        images.Clear();
        var scan = new AdmissionImageScan(body, images);
        scan.Sure = scan.ReadReview();
        return scan;
    }

    private bool ReadReview()
    {
        if (!_json.TryEnter((byte)'{')) return false;
        bool first = true, apiVersion = false, kind = false, request = false;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) break;
            if (key.SequenceEqual("apiVersion"u8)) { if (apiVersion || !StringEquals("admission.k8s.io/v1"u8)) return false; apiVersion = true; }
            else if (key.SequenceEqual("kind"u8)) { if (kind || !StringEquals("AdmissionReview"u8)) return false; kind = true; }
            else if (key.SequenceEqual("request"u8)) { if (request || !ReadRequest()) return false; request = true; }
            else if (!_json.TrySkipValue()) return false;
        }
        // Only whitespace may follow, as Utf8JsonReader demands.
        return apiVersion && kind && request && _json.Peek() == 0 && _json.AtEnd;
    }

    /// <summary>A string value equal to <paramref name="expected"/> as written (an escaped one is the exact reader's).</summary>
    private bool StringEquals(ReadOnlySpan<byte> expected) =>
        _json.TryReadString(out var raw, out var escaped) && !escaped && raw.SequenceEqual(expected);

    /// <summary>A value of one of the types AdmissionReviewReader accepts for the field (it refuses the review
    /// otherwise), jumped over.</summary>
    private bool SkipTyped(byte open, bool nullable)
    {
        if (nullable && _json.TryReadNull()) return true;
        return _json.Peek() == open && _json.TrySkipValue();
    }

    private bool SkipBoolean()
    {
        if (_json.TryReadNull()) return true;
        var next = _json.Peek();
        return next is (byte)'t' or (byte)'f' && _json.TrySkipValue();
    }

    /// <summary>request.userInfo: AdmissionReviewReader refuses a username that is not a string or null.</summary>
    private bool SkipUserInfo()
    {
        if (_json.Peek() != '{') return _json.TrySkipValue();
        _json.TryEnter((byte)'{');
        var first = true;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return true;
            if (!(key.SequenceEqual("username"u8) ? SkipTyped((byte)'"', nullable: true) : _json.TrySkipValue())) return false;
        }
    }

    private bool ReadRequest()
    {
        if (!_json.TryEnter((byte)'{')) return false;
        bool first = true, uid = false, ns = false, operation = false, obj = false;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return uid;
            if (key.SequenceEqual("uid"u8))
            {
                if (uid || !_json.TryReadString(out var value, out _) || value.Length == 0) return false;
                uid = true;
            }
            else if (key.SequenceEqual("namespace"u8))
            {
                if (ns) return false;
                ns = true;
                if (_json.TryReadNull()) continue;
                if (!_json.TryReadString(out var value, out var escaped) || escaped) return false;
                Namespace = value;
                HasNamespace = true;
            }
            else if (key.SequenceEqual("operation"u8))
            {
                if (operation || !_json.TryReadString(out var value, out var escaped) || escaped) return false;
                operation = true;
                Operation = AdmissionOperations.Parse(value);
            }
            else if (key.SequenceEqual("object"u8))
            {
                if (obj) return false;
                obj = true;
                if (_json.TryReadNull()) continue;
                if (!ReadObject()) return false;
                HasObject = true;
            }
            else if (key.SequenceEqual("kind"u8)) { if (!SkipTyped((byte)'{', nullable: false)) return false; }
            else if (key.SequenceEqual("subResource"u8)) { if (!SkipTyped((byte)'"', nullable: true)) return false; }
            else if (key.SequenceEqual("dryRun"u8)) { if (!SkipBoolean()) return false; }
            else if (key.SequenceEqual("userInfo"u8)) { if (!SkipUserInfo()) return false; }
            else if (key.SequenceEqual("oldObject"u8)) { if (!SkipTyped((byte)'{', nullable: true)) return false; }
            else if (!_json.TrySkipValue()) return false;
        }
    }

    /// <summary>request.object: its kind, and the containers of its pod template. The template of a Pod is the object;
    /// of a CronJob spec.jobTemplate.spec.template; of the other workloads spec.template.</summary>
    private bool ReadObject()
    {
        var start = _json.Position;
        if (!_json.TryEnter((byte)'{')) return false;
        var first = true;
        WorkloadKind? kind = null;
        var spec = -1;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) break;
            if (key.SequenceEqual("kind"u8))
            {
                if (kind is not null || !_json.TryReadString(out var value, out var escaped) || escaped || !TryKind(value, out var known)) return false;
                kind = known;
            }
            else if (key.SequenceEqual("spec"u8))
            {
                // The kind comes first in what the API server sends; else the exact readers decide.
                if (spec >= 0 || kind is null) return false;
                spec = _json.Position;
                var depth = _json.Depth;
                if (!(kind == WorkloadKind.Pod ? ReadPodSpec() : ReadWorkloadSpec(kind.Value == WorkloadKind.CronJob)) || _json.Depth != depth) return false;
            }
            else if (!_json.TrySkipValue()) return false;
        }
        // Limits of PodTemplateLocator and PodFactReader (the template lies inside the object).
        return kind is not null && _json.Position - start <= EvaluationLimits.Default.MaxBytes;
    }

    private static bool TryKind(ReadOnlySpan<byte> value, out WorkloadKind kind)
    {
        for (var k = 0; k < KindNames.Length; k++)
            if (value.SequenceEqual(KindNames[k])) { kind = (WorkloadKind)k; return true; }
        kind = default;
        return false;
    }

    /// <summary>spec of a workload: follows template (or jobTemplate.spec.template) to the pod template and reads its
    /// spec. A path member met twice, or one that is not an object, is the exact readers' to judge.</summary>
    private bool ReadWorkloadSpec(bool cronJob)
    {
        return ReadPath(cronJob ? CronJobPath : TemplatePath);
    }

    private bool ReadPath(scoped ReadOnlySpan<string> path)
    {
        if (!_json.TryEnter((byte)'{')) return false;
        var first = true;
        var found = false;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return found;
            if (IsName(key, path[0]))
            {
                if (found) return false;
                found = true;
                if (!(path.Length == 1 ? ReadTemplate() : ReadPath(path[1..]))) return false;
            }
            else if (!_json.TrySkipValue()) return false;
        }
    }

    private static bool IsName(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != name.Length) return false;
        for (var i = 0; i < key.Length; i++)
            if (key[i] != name[i]) return false;
        return true;
    }

    /// <summary>A pod template {metadata, spec}: reads the spec.</summary>
    private bool ReadTemplate()
    {
        if (!_json.TryEnter((byte)'{')) return false;
        var first = true;
        var spec = false;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return true;
            if (key.SequenceEqual("spec"u8))
            {
                if (spec || !ReadPodSpec()) return false;
                spec = true;
            }
            else if (!_json.TrySkipValue()) return false;
        }
    }

    /// <summary>A pod spec: the images of its containers; null sections and a null spec have none.</summary>
    private bool ReadPodSpec()
    {
        if (_json.TryReadNull()) return true;
        if (!_json.TryEnter((byte)'{')) return false;
        var first = true;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return true;
            var section = key.SequenceEqual("containers"u8) || key.SequenceEqual("initContainers"u8) || key.SequenceEqual("ephemeralContainers"u8);
            if (!(section ? ReadContainers() : _json.TrySkipValue())) return false;
        }
    }

    private bool ReadContainers()
    {
        if (_json.TryReadNull()) return true;
        if (!_json.TryEnter((byte)'[')) return false;
        var first = true;
        while (true)
        {
            var element = _json.NextElement(ref first);
            if (element < 0) return false;
            if (element == 0) return true;
            if (_json.TryReadNull()) continue;
            if (!ReadContainer()) return false;
        }
    }

    private bool ReadContainer()
    {
        if (!_json.TryEnter((byte)'{')) return false;
        var first = true;
        var image = false;
        while (true)
        {
            var member = _json.NextMember(ref first, out var key);
            if (member < 0) return false;
            if (member == 0) return true;
            if (!key.SequenceEqual("image"u8))
            {
                if (!_json.TrySkipValue()) return false;
                continue;
            }
            if (image) return false;
            image = true;
            if (_json.TryReadNull()) continue;
            var start = _json.Position + 1;
            if (!_json.TryReadString(out var value, out var escaped) || escaped) return false;
            if (value.Length > 0) _images.Add(new ImageRange(start, value.Length));
        }
    }
}

/// <summary>Where an image reference is in the request body (raw JSON string content).</summary>
internal readonly record struct ImageRange(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> body) => body.Slice(Start, Length);
}
