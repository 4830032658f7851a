namespace SecurityOperator.Kube.Config;

/// <summary>A bearer token read from a file: kubeconfig tokenFile, or the projected service-account token in a pod.
/// Projected tokens are rotated by the kubelet (an atomic symlink swap), so the file is re-read when its modification
/// time or length changes, after a 401, and at least every <see cref="MaxAge"/> even if the stat looks unchanged.</summary>
public sealed class TokenFileCredentialSource : ICredentialSource
{
    /// <summary>client-go re-reads token files once a minute (transport.NewCachedFileTokenSource, 1 minute period).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly string _source;
    private readonly string _field;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private KubeCredential? _cached;
    private DateTime _cachedWriteTime;
    private long _cachedLength;
    private long _cachedAt;

    /// <param name="source">The kubeconfig file (or "in-cluster") for error messages.</param>
    /// <param name="field">The field that named the file, e.g. users[0].user.tokenFile.</param>
    public TokenFileCredentialSource(string path, string source, string field, TimeProvider? time = null)
    {
        _path = path;
        _source = source;
        _field = field;
        _time = time ?? TimeProvider.System;
    }

    public string Path => _path;

    public ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
                throw new KubeconfigException(_source, _field, $"token file {_path} does not exist");
            var fresh = _cached is not null
                && info.LastWriteTimeUtc == _cachedWriteTime
                && info.Length == _cachedLength
                && _time.GetElapsedTime(_cachedAt) < MaxAge;
            if (!fresh)
            {
                string token;
                try { token = File.ReadAllText(_path).Trim(); }
                catch (IOException e) { throw new KubeconfigException(_source, _field, $"cannot read token file {_path}: {e.Message}", e); }
                catch (UnauthorizedAccessException e) { throw new KubeconfigException(_source, _field, $"cannot read token file {_path}: {e.Message}", e); }
                if (token.Length == 0)
                    throw new KubeconfigException(_source, _field, $"token file {_path} is empty");
                _cached = new KubeCredential(token, null);
                _cachedWriteTime = info.LastWriteTimeUtc;
                _cachedLength = info.Length;
                _cachedAt = _time.GetTimestamp();
            }
            return ValueTask.FromResult(_cached!);
        }
    }

    public bool Invalidate()
    {
        lock (_gate) _cached = null;
        return true;
    }
}
