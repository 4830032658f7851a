using SecurityOperator.Hosting;

namespace SecurityOperator;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stdout = Console.OpenStandardOutput();
        return await OperatorHost.RunAsync(args, Environment.GetEnvironmentVariable, Console.In, Console.Out, Console.Error, stdout)
            .ConfigureAwait(false);
    }
}
