using SecurityOperator.Kube.Config;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>A rotating credential for pipeline tests: hands out the tokens in order, moving on when invalidated.</summary>
internal sealed class SequenceCredentialSource(params string[] tokens) : ICredentialSource
{
    private int _index;

    public int Invalidations { get; private set; }

    public ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new KubeCredential(tokens[Math.Min(_index, tokens.Length - 1)], null));

    public bool Invalidate()
    {
        Invalidations++;
        _index++;
        return true;
    }
}
