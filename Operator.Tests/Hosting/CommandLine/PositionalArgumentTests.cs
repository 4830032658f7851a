using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

public class PositionalArgumentTests
{
    private static string? NoEnvironment(string _) => null;

    [Theory]
    [InlineData("controller")]
    [InlineData("webhook")]
    [InlineData("node")]
    public void Cluster_roles_reject_stray_arguments(string role)
    {
        // "--kubeconfig --log-level debug": the flag swallowed "--log-level" and "debug" is left over.
        var error = Assert.Throws<UsageException>(() =>
            CommandLineParser.Parse(["--role", role, "--kubeconfig", "--log-level", "debug"], NoEnvironment));
        Assert.Equal($"unexpected argument 'debug': --role {role} takes no positional arguments", error.Message);
    }

    [Fact]
    public void The_audit_role_takes_paths()
    {
        var options = CommandLineParser.Parse(["--role", "audit", "examples/", "-"], NoEnvironment);
        Assert.Equal(["examples/", "-"], options.Positional);
    }
}
