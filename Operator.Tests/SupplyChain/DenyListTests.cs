using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.SupplyChain;

/// <summary>deny-list.props really fails builds: throwaway projects that import it are restored from the machine's
/// offline package folder and built with the real SDK.</summary>
public class DenyListTests
{
    // The dotnet machine image ships this folder with Newtonsoft.Json and the test platform packages in it.
    private const string OfflinePackages = "/opt/nuget/packages";

    [SkippableFact]
    public async Task A_direct_reference_to_a_banned_package_fails_the_build_naming_package_and_rule()
    {
        var result = await BuildThrowawayAsync("""<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DENY001", result.Output);
        Assert.Contains("package Newtonsoft.Json 13.0.3 is banned", result.Output);
        Assert.Contains("it is a direct reference", result.Output);
        Assert.Contains("DenyListBannedPackage in deny-list.props", result.Output);
    }

    [SkippableFact]
    public async Task A_banned_package_pulled_in_transitively_fails_the_build_naming_who_pulls_it()
    {
        var result = await BuildThrowawayAsync("""<PackageReference Include="Microsoft.TestPlatform.TestHost" Version="18.0.1" />""");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("package Newtonsoft.Json 13.0.3 is banned", result.Output);
        Assert.Contains("pulled in by Microsoft.TestPlatform.TestHost", result.Output);
    }

    [SkippableFact]
    public async Task A_waiver_is_ignored_outside_test_projects()
    {
        var result = await BuildThrowawayAsync("""
            <PackageReference Include="Microsoft.TestPlatform.TestHost" Version="18.0.1" />
            <DenyListWaiver Include="Newtonsoft.Json" RequiredBy="Microsoft.TestPlatform.TestHost" Reason="x" />
            """);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("package Newtonsoft.Json 13.0.3 is banned", result.Output);
    }

    [SkippableFact]
    public async Task A_waiver_never_covers_a_direct_reference_even_in_a_test_project()
    {
        var result = await BuildThrowawayAsync("""
            <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
            <DenyListWaiver Include="Newtonsoft.Json" RequiredBy="Microsoft.TestPlatform.TestHost" Reason="x" />
            """, isTestProject: true);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("it is a direct reference", result.Output);
    }

    [SkippableFact]
    public async Task A_test_project_waiver_naming_the_puller_lets_the_build_pass()
    {
        var result = await BuildThrowawayAsync("""
            <PackageReference Include="Microsoft.TestPlatform.TestHost" Version="18.0.1" />
            <DenyListWaiver Include="Newtonsoft.Json" RequiredBy="Microsoft.TestPlatform.TestHost" Reason="test runner" />
            """, isTestProject: true);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [SkippableFact]
    public async Task A_license_outside_the_allow_list_fails_the_build()
    {
        // xunit.abstractions only has a license URL; without the reviewed entry it is not an allowed license.
        var result = await BuildThrowawayAsync("""
            <PackageReference Include="xunit.abstractions" Version="2.0.3" />
            <DenyListLicenseReview Remove="@(DenyListLicenseReview)" />
            """);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DENY002", result.Output);
        Assert.Contains("package xunit.abstractions 2.0.3 has license 'url:", result.Output);
    }

    private static async Task<ProcessRunner.Result> BuildThrowawayAsync(string items, bool isTestProject = false)
    {
        Skip.IfNot(Directory.Exists(OfflinePackages), $"{OfflinePackages} (the machine's offline NuGet folder) is not present");
        var dir = Directory.CreateTempSubdirectory("denylist-");
        try
        {
            var denyList = Path.Combine(RepositoryPaths.Root, "deny-list.props");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Throwaway.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{denyList}" />
                  <PropertyGroup>
                    <!-- net10.0: its targeting pack ships with the SDK, so the offline folder is the only source needed. -->
                    <TargetFramework>net10.0</TargetFramework>
                    <IsTestProject>{(isTestProject ? "true" : "false")}</IsTestProject>
                    <RestoreSources>{OfflinePackages}</RestoreSources>
                    <RestorePackagesPath>{Path.Combine(dir.FullName, "packages")}</RestorePackagesPath>
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
