namespace SecurityOperator.Kube.Config;

/// <summary>A bearer token written directly in the kubeconfig (users[].user.token). It never changes.</summary>
public sealed class StaticCredentialSource(string token) : ICredentialSource
{
    private readonly KubeCredential _credential = new(token, null);

    public ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_credential);

    public bool Invalidate() => false;
}
