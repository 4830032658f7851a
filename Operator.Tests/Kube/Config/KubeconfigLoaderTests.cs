using System.Security.Cryptography.X509Certificates;
using SecurityOperator.Kube.Config;

namespace SecurityOperator.Tests.Kube.Config;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TestPki Pki = TestPki.Shared;

    public void Dispose() => _dir.Dispose();

    /// <summary>A kubeconfig with one cluster, one user and one context; cluster and user are raw JSON object bodies.</summary>
    private static string Config(string cluster, string user, string contextExtra = "", string current = "dev") => $$"""
        {
          "apiVersion": "v1", "kind": "Config", "current-context": "{{current}}",
          "clusters": [ { "name": "c1", "cluster": { {{cluster}} } } ],
          "users": [ { "name": "u1", "user": { {{user}} } } ],
          "contexts": [ { "name": "dev", "context": { "cluster": "c1", "user": "u1" {{contextExtra}} } } ]
        }
        """;

    private KubeClientConfig Load(string json, string name = "config") =>
        KubeConfigLocator.LoadFiles([_dir.Write(name, json)], missingIsError: true);

    private KubeconfigException LoadFails(string json, string name = "config") =>
        Assert.Throws<KubeconfigException>(() => Load(json, name));

    private string Path(string name) => System.IO.Path.Combine(_dir.Path, name);

    [Fact]
    public void Token_user_with_inline_ca_server_name_and_namespace()
    {
        var config = Load(Config(
            $"\"server\": \"https://10.1.2.3:6443\", \"certificate-authority-data\": \"{TestPki.Base64(Pki.CaPem)}\", \"tls-server-name\": \"kubernetes\"",
            "\"token\": \"abc.def\"",
            ", \"namespace\": \"secops\""));

        Assert.Equal(new Uri("https://10.1.2.3:6443"), config.Server);
        Assert.Equal(Pki.Ca.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.Equal("kubernetes", config.TlsServerName);
        Assert.False(config.InsecureSkipTlsVerify);
        Assert.Equal("secops", config.Namespace);
        Assert.Equal("abc.def", config.Credentials!.GetAsync(default).Result().BearerToken);
        Assert.False(config.Credentials.Invalidate());
        Assert.Contains("context dev", config.Origin);
    }

    [Fact]
    public void Namespace_defaults_to_default_and_insecure_skip_verify_is_read()
    {
        var config = Load(Config("\"server\": \"https://h:1\", \"insecure-skip-tls-verify\": true", "\"token\": \"t\""));
        Assert.Equal("default", config.Namespace);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Null(config.CertificateAuthorities);
    }

    [Fact]
    public void Relative_files_resolve_against_the_kubeconfig_directory()
    {
        _dir.Write("sub/pki/ca.crt", Pki.CaPem);
        _dir.Write("sub/pki/client.crt", Pki.EcClient.ExportCertificatePem());
        _dir.Write("sub/pki/client.key", Pki.EcClientKey.ExportECPrivateKeyPem());
        _dir.Write("sub/token", "file-token\n");
        var config = Load(Config(
            "\"server\": \"https://h:1\", \"certificate-authority\": \"pki/ca.crt\"",
            "\"client-certificate\": \"pki/client.crt\", \"client-key\": \"pki/client.key\", \"tokenFile\": \"token\", \"token\": \"inline-loses\""),
            "sub/config");

        Assert.Equal(Pki.Ca.Thumbprint, config.CertificateAuthorities![0].Thumbprint);
        Assert.Equal(Pki.EcClient.Thumbprint, config.ClientCertificate!.Thumbprint);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.NotNull(config.ClientCertificate.GetECDsaPrivateKey());
        // tokenFile wins over token (client-go rest.Config: BearerTokenFile takes precedence).
        Assert.Equal("file-token", config.Credentials!.GetAsync(default).Result().BearerToken);
    }

    [Theory]
    [InlineData("pkcs1")]
    [InlineData("pkcs8")]
    public void Rsa_client_certificate_and_key_data(string keyFormat)
    {
        var key = keyFormat == "pkcs1" ? Pki.RsaClientKey.ExportRSAPrivateKeyPem() : Pki.RsaClientKey.ExportPkcs8PrivateKeyPem();
        var config = Load(Config("\"server\": \"https://h:1\"",
            $"\"client-certificate-data\": \"{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}\", \"client-key-data\": \"{TestPki.Base64(key)}\""));
        Assert.Equal(Pki.RsaClient.Thumbprint, config.ClientCertificate!.Thumbprint);
        Assert.NotNull(config.ClientCertificate.GetRSAPrivateKey());
        Assert.Null(config.Credentials);
    }

    [Fact]
    public void Bad_base64_names_the_file_and_field()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"",
            $"\"client-certificate-data\": \"{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}\", \"client-key-data\": \"%%%not base64\""));
        Assert.Equal($"kubeconfig {Path("config")}: users[0].user.client-key-data: not valid base64", e.Message);
    }

    [Fact]
    public void Bad_pem_certificate_names_the_certificate_field()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"",
            $"\"client-certificate-data\": \"{TestPki.Base64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}\", \"client-key-data\": \"{TestPki.Base64(Pki.RsaClientKey.ExportRSAPrivateKeyPem())}\""));
        Assert.Equal("users[0].user.client-certificate-data", e.Field);
        Assert.StartsWith($"kubeconfig {Path("config")}: users[0].user.client-certificate-data: not a valid PEM certificate", e.Message);
    }

    [Fact]
    public void Key_that_does_not_match_the_certificate_names_the_key_field()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"",
            $"\"client-certificate-data\": \"{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}\", \"client-key-data\": \"{TestPki.Base64(Pki.EcClientKey.ExportECPrivateKeyPem())}\""));
        Assert.Equal("users[0].user.client-key-data", e.Field);
    }

    [Fact]
    public void Key_without_a_pem_block_is_rejected()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"",
            $"\"client-certificate-data\": \"{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}\", \"client-key-data\": \"{TestPki.Base64("just text")}\""));
        Assert.Equal("users[0].user.client-key-data", e.Field);
        Assert.Contains("no PEM private key block", e.Message);
    }

    [Fact]
    public void Ca_data_that_is_not_a_certificate_is_rejected()
    {
        var e = LoadFails(Config($"\"server\": \"https://h:1\", \"certificate-authority-data\": \"{TestPki.Base64("hello")}\"", "\"token\": \"t\""));
        Assert.Equal("clusters[0].cluster.certificate-authority-data", e.Field);
        Assert.Contains("no PEM CERTIFICATE block", e.Message);
    }

    [Fact]
    public void Missing_referenced_file_names_field_and_path()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\", \"certificate-authority\": \"nope.crt\"", "\"token\": \"t\""));
        Assert.Equal("clusters[0].cluster.certificate-authority", e.Field);
        Assert.Contains(Path("nope.crt"), e.Message);
    }

    [Fact]
    public void Certificate_without_key_is_rejected()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"", $"\"client-certificate-data\": \"{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}\""));
        Assert.Equal("users[0].user", e.Field);
        Assert.Contains("without client-key", e.Message);
    }

    [Fact]
    public void Insecure_with_a_ca_is_rejected()
    {
        var e = LoadFails(Config($"\"server\": \"https://h:1\", \"insecure-skip-tls-verify\": true, \"certificate-authority-data\": \"{TestPki.Base64(Pki.CaPem)}\"", "\"token\": \"t\""));
        Assert.Equal("clusters[0].cluster.insecure-skip-tls-verify", e.Field);
    }

    [Theory]
    [InlineData("\"server\": \"\"", "clusters[0].cluster.server", "is required")]
    [InlineData("\"server\": \"not a url\"", "clusters[0].cluster.server", "not an absolute http(s) URL")]
    [InlineData("\"server\": 5", "clusters[0].cluster.server", "not a valid kubeconfig")]
    public void Bad_server_values(string cluster, string field, string problem)
    {
        var e = LoadFails(Config(cluster, "\"token\": \"t\""));
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_it()
    {
        var e = Assert.Throws<KubeconfigException>(() => KubeConfigLocator.LoadFiles([Path("absent")], missingIsError: true));
        Assert.Equal($"kubeconfig {Path("absent")}: file does not exist", e.Message);
    }

    [Fact]
    public void Broken_json_is_an_error_naming_the_file_and_line()
    {
        var e = LoadFails("{ \"clusters\": [ { \"name\": ");
        Assert.StartsWith($"kubeconfig {Path("config")}: not valid YAML at line 1", e.Message);
    }

    [Fact]
    public void Yaml_kubeconfig_as_kubectl_writes_it()
    {
        _dir.Write("ca.crt", Pki.CaPem);
        var config = Load($$"""
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: kind-dev   # chosen by kubectl config use-context
            clusters:
            - cluster:
                certificate-authority: ca.crt
                server: https://127.0.0.1:39211
                tls-server-name: kubernetes
              name: kind-dev
            contexts:
            - context:
                cluster: kind-dev
                user: kind-dev
                namespace: secops
              name: kind-dev
            users:
            - name: kind-dev
              user:
                client-certificate-data: {{TestPki.Base64(Pki.RsaClient.ExportCertificatePem())}}
                client-key-data: {{TestPki.Base64(Pki.RsaClientKey.ExportRSAPrivateKeyPem())}}
            """);
        Assert.Equal(39211, config.Server.Port);
        Assert.Equal("kubernetes", config.TlsServerName);
        Assert.Equal("secops", config.Namespace);
        Assert.Equal(Pki.RsaClient.Thumbprint, config.ClientCertificate!.Thumbprint);
        Assert.Equal(Pki.Ca.Thumbprint, config.CertificateAuthorities![0].Thumbprint);
    }

    [Fact]
    public void Yaml_exec_user_with_booleans_and_lists()
    {
        var config = Load("""
            current-context: c
            clusters: [{name: k, cluster: {server: "https://h:1", insecure-skip-tls-verify: true}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: [eks, get-token, --cluster-name, dev]
                  env:
                  - name: AWS_PROFILE
                    value: dev
                  provideClusterInfo: true
                  interactiveMode: IfAvailable
            """);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.IsType<ExecCredentialSource>(config.Credentials);
    }

    [Fact]
    public void Bad_yaml_names_file_line_and_column()
    {
        var e = LoadFails("clusters:\n- name: a\n  cluster: {server: [\n");
        Assert.StartsWith($"kubeconfig {Path("config")}: not valid YAML at line ", e.Message);
        Assert.Null(e.Field);
    }

    [Fact]
    public void Yaml_with_a_value_of_the_wrong_type_names_the_field()
    {
        var e = LoadFails("current-context: c\nusers:\n- name: u\n  user:\n    token: 12345\n");
        Assert.Equal("users[0].user.token", e.Field);
    }

    [Fact]
    public void Several_yaml_documents_are_rejected()
    {
        var e = LoadFails("current-context: a\n---\ncurrent-context: b\n");
        Assert.Contains("holds 2 YAML documents", e.Message);
    }

    [Fact]
    public void Comment_only_file_counts_as_empty()
    {
        var empty = _dir.Write("empty", "# nothing here yet\n");
        var real = _dir.Write("real", "current-context: c\nclusters: [{name: k, cluster: {server: 'https://h:1'}}]\ncontexts: [{name: c, context: {cluster: k}}]\n");
        var config = KubeConfigLocator.Load(null, null, Env(("KUBECONFIG", $"{empty}:{real}")));
        Assert.Null(config.Credentials);
        Assert.Equal("h", config.Server.Host);
    }

    [Fact]
    public void Missing_current_context_is_an_error()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"", "\"token\": \"t\"", current: ""));
        Assert.Equal("current-context", e.Field);
        Assert.Contains("is not set", e.Message);
    }

    [Fact]
    public void Unknown_current_context_lists_the_known_ones()
    {
        var e = LoadFails(Config("\"server\": \"https://h:1\"", "\"token\": \"t\"", current: "prod"));
        Assert.Contains("context 'prod' is not defined (known: dev)", e.Message);
    }

    [Fact]
    public void Context_naming_an_unknown_cluster_or_user_is_an_error()
    {
        var json = """
            { "current-context": "a",
              "clusters": [ { "name": "c1", "cluster": { "server": "https://h:1" } } ],
              "users": [ { "name": "u1", "user": { "token": "t" } } ],
              "contexts": [ { "name": "a", "context": { "cluster": "c9", "user": "u1" } },
                            { "name": "b", "context": { "cluster": "c1", "user": "u9" } } ] }
            """;
        var path = _dir.Write("config", json);
        var cluster = Assert.Throws<KubeconfigException>(() => KubeConfigLocator.LoadFiles([path], true));
        Assert.Equal("contexts[0].context.cluster", cluster.Field);
        Assert.Contains("names cluster 'c9', which no kubeconfig file defines (known: c1)", cluster.Message);
        var user = Assert.Throws<KubeconfigException>(() => KubeConfigLocator.LoadFiles([path], true, context: "b"));
        Assert.Equal("contexts[1].context.user", user.Field);
    }

    [Fact]
    public void Unsupported_auth_methods_are_rejected_not_ignored()
    {
        Assert.Equal("users[0].user.username", LoadFails(Config("\"server\": \"https://h:1\"", "\"username\": \"a\", \"password\": \"b\"")).Field);
        Assert.Equal("users[0].user.auth-provider", LoadFails(Config("\"server\": \"https://h:1\"", "\"auth-provider\": { \"name\": \"gcp\" }")).Field);
        Assert.Equal("users[0].user", LoadFails(Config("\"server\": \"https://h:1\"",
            "\"token\": \"t\", \"exec\": { \"apiVersion\": \"client.authentication.k8s.io/v1\", \"command\": \"x\" }")).Field);
    }

    [Fact]
    public void Entries_without_a_name_are_rejected()
    {
        var e = LoadFails("""{ "clusters": [ { "cluster": { "server": "https://h:1" } } ] }""");
        Assert.Equal("clusters[0].name", e.Field);
    }

    [Fact]
    public void Kubeconfig_list_merges_first_definition_wins_and_skips_missing_files()
    {
        var first = _dir.Write("a", """
            { "current-context": "",
              "clusters": [ { "name": "shared", "cluster": { "server": "https://first:1" } } ],
              "users": [ { "name": "u", "user": { "token": "first-token" } } ] }
            """);
        var second = _dir.Write("b", """
            { "current-context": "ctx",
              "clusters": [ { "name": "shared", "cluster": { "server": "https://second:2" } } ],
              "users": [ { "name": "u", "user": { "token": "second-token" } } ],
              "contexts": [ { "name": "ctx", "context": { "cluster": "shared", "user": "u", "namespace": "ns2" } } ] }
            """);
        var config = KubeConfigLocator.Load(null, null, Env(("KUBECONFIG", $"{Path("missing")}:{first}::{second}")));

        Assert.Equal("first", config.Server.Host);
        Assert.Equal("first-token", config.Credentials!.GetAsync(default).Result().BearerToken);
        Assert.Equal("ns2", config.Namespace);
    }

    [Fact]
    public void Kubeconfig_list_where_no_file_exists_is_an_error()
    {
        var e = Assert.Throws<KubeconfigException>(() => KubeConfigLocator.Load(null, null, Env(("KUBECONFIG", Path("x") + ":" + Path("y")))));
        Assert.Contains("none of the KUBECONFIG files exists", e.Message);
    }

    [Fact]
    public void Empty_file_counts_as_empty_config()
    {
        var empty = _dir.Write("empty", "  \n");
        var real = _dir.Write("real", Config("\"server\": \"https://h:1\"", "\"token\": \"t\""));
        var config = KubeConfigLocator.Load(null, null, Env(("KUBECONFIG", $"{empty}:{real}")));
        Assert.Equal("h", config.Server.Host);
    }

    [Fact]
    public void Locator_prefers_flag_then_kubeconfig_variable_then_in_cluster_then_home()
    {
        var flag = _dir.Write("flag", Config("\"server\": \"https://flag:1\"", "\"token\": \"t\""));
        var variable = _dir.Write("variable", Config("\"server\": \"https://variable:1\"", "\"token\": \"t\""));
        _dir.Write("home/.kube/config", Config("\"server\": \"https://home:1\"", "\"token\": \"t\""));
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/ca.crt", Pki.CaPem);
        var root = Path("sa");
        (string, string)[] all = [("KUBECONFIG", variable), ("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"), ("HOME", Path("home"))];

        Assert.Equal("flag", KubeConfigLocator.Load(flag, null, Env(all), root).Server.Host);
        Assert.Equal("variable", KubeConfigLocator.Load(null, null, Env(all), root).Server.Host);
        Assert.Equal("10.96.0.1", KubeConfigLocator.Load(null, null, Env(all[1..]), root).Server.Host);
        Assert.Equal("home", KubeConfigLocator.Load(null, null, Env(all[3..]), root).Server.Host);
        Assert.Throws<KubeconfigException>(() => KubeConfigLocator.Load(null, null, Env(), root));
    }

    internal static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}

internal static class CredentialTestExtensions
{
    /// <summary>The sources used in these tests complete synchronously (static token, token file); this unwraps without blocking.</summary>
    public static KubeCredential Result(this ValueTask<KubeCredential> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully, "expected a synchronously available credential");
        return pending.Result;
    }
}
