using System.Text;
using System.Text.Json;
using SecurityOperator.Hosting;
using SecurityOperator.Supply;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Supply;

/// <summary>The SBOM that supply-chain/sbom.targets embeds at build time: CycloneDX 1.5 JSON in the shape the
/// specification requires, every package of Operator.csproj's lock file with its version and SHA-512 hash, the
/// framework runtime packs with the hash NuGet recorded, the Debian packages of the static archives linked in, and
/// `--sbom` prints it as embedded.</summary>
public class EmbeddedSbomTests
{
    private static readonly string[] ComponentTypes =
        ["application", "framework", "library", "container", "platform", "operating-system", "device", "device-driver", "firmware", "file", "machine-learning-model", "data"];

    private static JsonElement Sbom()
    {
        var bytes = EmbeddedSbom.Read();
        Assert.NotNull(bytes);
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> ComponentsByName() =>
        Sbom().GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, StringComparer.Ordinal);

    private static string Hex(string base64) => Convert.ToHexStringLower(Convert.FromBase64String(base64));

    private static string Sha512Of(JsonElement component) =>
        Assert.Single(component.GetProperty("hashes").EnumerateArray(), h => h.GetProperty("alg").GetString() == "SHA-512")
            .GetProperty("content").GetString()!;

    [Fact]
    public void It_has_the_cyclonedx_1_5_shape()
    {
        var sbom = Sbom();
        Assert.Equal("CycloneDX", sbom.GetProperty("bomFormat").GetString());
        Assert.Equal("1.5", sbom.GetProperty("specVersion").GetString());
        Assert.True(sbom.GetProperty("version").GetInt32() >= 1);
        var app = sbom.GetProperty("metadata").GetProperty("component");
        Assert.Equal("application", app.GetProperty("type").GetString());
        Assert.Equal("security-operator", app.GetProperty("name").GetString());
        Assert.Equal(BuildInfo.Version, app.GetProperty("version").GetString());

        var refs = new HashSet<string>(StringComparer.Ordinal) { app.GetProperty("bom-ref").GetString()! };
        foreach (var c in sbom.GetProperty("components").EnumerateArray())
        {
            Assert.Contains(c.GetProperty("type").GetString(), ComponentTypes);
            Assert.False(string.IsNullOrEmpty(c.GetProperty("name").GetString()));
            Assert.Contains(c.GetProperty("scope").GetString(), new[] { "required", "optional", "excluded" });
            var purl = c.GetProperty("purl").GetString()!;
            if (purl.StartsWith("pkg:deb/", StringComparison.Ordinal))
                Assert.StartsWith($"pkg:deb/debian/{c.GetProperty("name").GetString()}@", purl);
            else
                Assert.Equal($"pkg:nuget/{c.GetProperty("name").GetString()}@{c.GetProperty("version").GetString()}", purl);
            Assert.True(refs.Add(c.GetProperty("bom-ref").GetString()!), $"duplicate bom-ref {c.GetProperty("bom-ref")}");
            if (!c.TryGetProperty("hashes", out var hashes)) continue; // a Debian package: its archives' hashes are properties
            Assert.All(hashes.EnumerateArray(), h =>
            {
                Assert.Contains(h.GetProperty("alg").GetString(), new[] { "MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3" });
                Assert.Matches("^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$", h.GetProperty("content").GetString());
            });
        }
        foreach (var d in sbom.GetProperty("dependencies").EnumerateArray())
        {
            Assert.Contains(d.GetProperty("ref").GetString()!, refs);
            Assert.All(d.GetProperty("dependsOn").EnumerateArray(), on => Assert.Contains(on.GetString()!, refs));
        }
        // Every property name the specification defines for these objects, and no other (additionalProperties: false).
        Assert.All(sbom.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata", "components", "services", "externalReferences", "dependencies", "compositions", "properties", "vulnerabilities", "annotations", "formulation", "signature" }));
    }

    [Fact]
    public void It_lists_every_package_of_the_lock_file_with_version_and_sha512()
    {
        var components = ComponentsByName();
        using var lockFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "packages.lock.json")));
        var packages = lockFile.RootElement.GetProperty("dependencies").EnumerateObject()
            .SelectMany(target => target.Value.EnumerateObject()).ToList();
        Assert.NotEmpty(packages);
        foreach (var package in packages)
        {
            Assert.True(components.TryGetValue(package.Name, out var c), $"{package.Name} of packages.lock.json is not in the SBOM");
            Assert.Equal(package.Value.GetProperty("resolved").GetString(), c.GetProperty("version").GetString());
            Assert.Equal(Hex(package.Value.GetProperty("contentHash").GetString()!), Sha512Of(c));
        }
    }

    [Fact]
    public void It_lists_the_runtime_packs_compiled_in_with_the_hash_nuget_recorded()
    {
        var components = ComponentsByName();
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var pack in new[] { "Microsoft.NETCore.App.Runtime.linux-x64", "Microsoft.AspNetCore.App.Runtime.linux-x64" })
        {
            Assert.True(components.TryGetValue(pack, out var c), $"{pack} is not in the SBOM");
            Assert.Equal("required", c.GetProperty("scope").GetString());
            var version = c.GetProperty("version").GetString()!;
            var recorded = Path.Combine(packages, pack.ToLowerInvariant(), version, $"{pack.ToLowerInvariant()}.{version}.nupkg.sha512");
            Assert.True(File.Exists(recorded), $"{recorded} not found");
            Assert.Equal(Hex(File.ReadAllText(recorded)), Sha512Of(c));
        }
        Assert.Equal("excluded", components["Microsoft.NET.ILLink.Tasks"].GetProperty("scope").GetString());
    }

    /// <summary>The static archives the Release publish links in (Operator.csproj's NativeLibrary items, the SDK's static
    /// OpenSSL and glibc), each under the Debian package that owns it, with that package's version and the archive's hash.</summary>
    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libbpf.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libelf.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libz.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libzstd.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libssl.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libcrypto.a")]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.a")]
    public void It_lists_the_debian_package_of_each_static_archive_linked_in(string archive)
    {
        var owner = DpkgQuery("-S", archive);
        var package = owner[..owner.IndexOf(": ", StringComparison.Ordinal)];
        var version = DpkgQuery("-W", "-f=${Version}", package);
        var name = package.Split(':')[0];

        Assert.True(ComponentsByName().TryGetValue(name, out var c), $"{name} (owner of {archive}) is not in the SBOM");
        Assert.Equal(version, c.GetProperty("version").GetString());
        Assert.Equal("required", c.GetProperty("scope").GetString());
        Assert.StartsWith($"pkg:deb/debian/{name}@{version.Replace("%", "%25").Replace("+", "%2B").Replace(":", "%3A")}?arch=", c.GetProperty("purl").GetString());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(archive)));
        Assert.Contains(c.GetProperty("properties").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "security-operator:static-archive" && p.GetProperty("value").GetString() == $"{archive} sha512:{sha}");
    }

    private static string DpkgQuery(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dpkg-query {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        return output.Trim();
    }

    [Fact]
    public async Task The_sbom_flag_prints_it_without_a_role()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await OperatorHost.RunAsync(["--sbom"], _ => null, TextReader.Null, stdout, stderr, Stream.Null);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal(Encoding.UTF8.GetString(EmbeddedSbom.Read()!), stdout.ToString());
    }
}
