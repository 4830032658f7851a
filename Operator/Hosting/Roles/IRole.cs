namespace SecurityOperator.Hosting.Roles;

/// <summary>One part the executable can play (--role). RunAsync returns the process exit code; when
/// <paramref name="stopping"/> fires it stops accepting work, finishes what is in flight and returns.</summary>
public interface IRole
{
    string Name { get; }

    Task<int> RunAsync(RoleContext context, CancellationToken stopping);
}
