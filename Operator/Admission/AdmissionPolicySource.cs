namespace SecurityOperator.Admission;

/// <summary>Holds the current <see cref="AdmissionPolicySnapshot"/>; readers take it once per request, writers swap
/// it atomically. Null until the first load: the webhook is not ready before that.</summary>
public sealed class AdmissionPolicySource
{
    private volatile AdmissionPolicySnapshot? _current;

    public AdmissionPolicySource(AdmissionPolicySnapshot? initial = null) => _current = initial;

    public AdmissionPolicySnapshot? Current => _current;

    public bool IsLoaded => _current is not null;

    public void Replace(AdmissionPolicySnapshot snapshot) => _current = snapshot;
}
