using System.Text.Json;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.SupplyChain;

/// <summary>advisories.props really fails builds on a known-vulnerable package: throwaway projects that import it are
/// restored from the machine's offline package folder and built with the real SDK against an advisories file written
/// by the test (the offline folder holds no version that the committed file lists).</summary>
public class AdvisoryCheckTests
{
    private const string OfflinePackages = "/opt/nuget/packages";

    private static string Advisory(string package, string range) => $$"""
        {"advisories": [{"id": "GHSA-test-0000-0001", "package": "{{package}}", "vulnerable": ["{{range}}"],
          "severity": "high", "summary": "test advisory", "url": "https://example.invalid/advisory"}]}
        """;

    [SkippableFact]
    public async Task A_direct_reference_in_an_affected_range_fails_the_build_naming_package_version_and_advisory()
    {
        var result = await BuildThrowawayAsync("""<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""",
            Advisory("Newtonsoft.Json", "[13.0.0, 13.0.4)"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ADV001", result.Output);
        Assert.Contains("package Newtonsoft.Json 13.0.3 has the known vulnerability GHSA-test-0000-0001 (high: test advisory; affected [13.0.0, 13.0.4))", result.Output);
        Assert.Contains("it is a direct reference", result.Output);
    }

    [SkippableFact]
    public async Task A_vulnerable_package_pulled_in_transitively_fails_the_build_naming_who_pulls_it()
    {
        var result = await BuildThrowawayAsync("""<PackageReference Include="Microsoft.TestPlatform.TestHost" Version="18.0.1" />""",
            Advisory("newtonsoft.json", "(, 13.0.3]"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("package Newtonsoft.Json 13.0.3 has the known vulnerability GHSA-test-0000-0001", result.Output);
        Assert.Contains("pulled in by Microsoft.TestPlatform.TestHost", result.Output);
    }

    [SkippableFact]
    public async Task A_version_outside_the_affected_range_builds()
    {
        // The upper bound is exclusive: 13.0.3 is the fixed version here.
        var result = await BuildThrowawayAsync("""<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""",
            Advisory("Newtonsoft.Json", "[13.0.0, 13.0.3)"));
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [SkippableFact]
    public async Task A_malformed_range_in_the_advisories_file_fails_the_build_naming_it()
    {
        var result = await BuildThrowawayAsync("""<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""",
            Advisory("Newtonsoft.Json", "13.0.0 - 13.0.4"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ADV002", result.Output);
        Assert.Contains("'13.0.0 - 13.0.4' is not a NuGet version range", result.Output);
    }

    [Fact]
    public void The_committed_advisories_file_is_complete_and_well_formed()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "supply-chain", "advisories.json")));
        var advisories = doc.RootElement.GetProperty("advisories").EnumerateArray().ToList();
        Assert.NotEmpty(advisories);
        Assert.Equal(advisories.Count, advisories.Select(a => a.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(advisories, a =>
        {
            Assert.Matches("^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-[0-9]{4}-[0-9]{4,})$", a.GetProperty("id").GetString());
            Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("package").GetString()));
            Assert.Contains(a.GetProperty("severity").GetString(), new[] { "low", "moderate", "high", "critical" });
            Assert.All(a.GetProperty("vulnerable").EnumerateArray(), r => Assert.Matches(@"^[\[(][0-9.]*, ?[0-9.]*[\])]$", r.GetString()));
            Assert.StartsWith("https://", a.GetProperty("url").GetString());
        });
    }

    private static async Task<ProcessRunner.Result> BuildThrowawayAsync(string items, string advisories)
    {
        Skip.IfNot(Directory.Exists(OfflinePackages), $"{OfflinePackages} (the machine's offline NuGet folder) is not present");
        var dir = Directory.CreateTempSubdirectory("advisories-");
        try
        {
            var props = Path.Combine(RepositoryPaths.Root, "advisories.props");
            var file = Path.Combine(dir.FullName, "advisories.json");
            await File.WriteAllTextAsync(file, advisories);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Throwaway.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <AdvisoriesFile>{file}</AdvisoriesFile>
                  </PropertyGroup>
                  <Import Project="{props}" />
                  <PropertyGroup>
                    <!-- net10.0: its targeting pack ships with the SDK, so the offline folder is the only source needed. -->
                    <TargetFramework>net10.0</TargetFramework>
                    <RestoreSources>{OfflinePackages}</RestoreSources>
                    <RestorePackagesPath>{Path.Combine(dir.FullName, "packages")}</RestorePackagesPath>
                    <NuGetAudit>false</NuGetAudit>
                  </PropertyGroup>
                  <ItemGroup>
                    {items}
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Class1.cs"), "namespace Throwaway; public static class C { }");
            return await ProcessRunner.RunAsync("dotnet", ["build", "-nologo", "-v:q", "-p:UseSharedCompilation=false"], dir.FullName,
                new Dictionary<string, string> { ["MSBUILDNOINPROCNODE"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
