namespace SecurityOperator;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("security-operator: the command line is being built (see Operator/Hosting)");
        return 2;
    }
}
