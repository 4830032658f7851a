namespace SecurityOperator.Admission;

/// <summary>request.operation of an AdmissionReview (admission.k8s.io/v1 Operation). Unknown: absent or a value this
/// build does not know; such requests are answered allowed without evaluation, like DELETE and CONNECT.</summary>
public enum AdmissionOperation : byte { Unknown, Create, Update, Delete, Connect }

public static class AdmissionOperations
{
    /// <summary>The metric label of an operation (the API's own spelling).</summary>
    public static string Label(this AdmissionOperation operation) => operation switch
    {
        AdmissionOperation.Create => "CREATE",
        AdmissionOperation.Update => "UPDATE",
        AdmissionOperation.Delete => "DELETE",
        AdmissionOperation.Connect => "CONNECT",
        _ => "unknown",
    };

    internal static AdmissionOperation Parse(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("CREATE"u8) ? AdmissionOperation.Create
        : value.SequenceEqual("UPDATE"u8) ? AdmissionOperation.Update
        : value.SequenceEqual("DELETE"u8) ? AdmissionOperation.Delete
        : value.SequenceEqual("CONNECT"u8) ? AdmissionOperation.Connect
        : AdmissionOperation.Unknown;
}
