namespace SecurityOperator.Registry;

/// <summary>A user name and password (or token used as password) for one registry, sent as Basic credentials to the
/// registry or to its token endpoint.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public string BasicHeaderValue() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Username + ":" + Password));

    // Never print the password.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}

/// <summary>Where credentials for a registry host come from (a docker config, pull secrets, a test).</summary>
public interface IRegistryCredentialSource
{
    /// <summary>Credentials for <paramref name="registry"/> (host[:port] as in the image name), or null for anonymous.</summary>
    RegistryCredentials? Find(string registry);
}

/// <summary>Anonymous access everywhere.</summary>
public sealed class AnonymousCredentials : IRegistryCredentialSource
{
    public static AnonymousCredentials Instance { get; } = new();
    public RegistryCredentials? Find(string registry) => null;
}
