using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Tests.Runtime.Bpf;

namespace SecurityOperator.Tests.Runtime.Events;

/// <summary>bpf/event.h is the one definition; the C# mirrors must agree with it field by field. The C side is read
/// from the BTF clang put into the embedded object (the compiler's own layout), the C# side from the runtime's.</summary>
public sealed class NodeEventLayoutTests
{
    public static TheoryData<string, Type> Structs => new()
    {
        { "event", typeof(NodeEvent) },
        { "exec_payload", typeof(ExecPayload) },
        { "open_payload", typeof(OpenPayload) },
        { "connect_payload", typeof(ConnectPayload) },
        { "privilege_payload", typeof(PrivilegePayload) },
        { "exit_payload", typeof(ExitPayload) },
        { "agent_config", typeof(AgentConfig) },
        { "container_root", typeof(ContainerRoot) },
        { "exec_key", typeof(ExecKey) },
        { "destination_key", typeof(DestinationKey) },
        { "destination_rule", typeof(DestinationRule) },
        { "exec_rule", typeof(ExecRule) },
        { "connect_mode", typeof(ConnectMode) },
    };

    [SkippableTheory]
    [MemberData(nameof(Structs))]
    public void Every_C_field_has_a_CSharp_field_at_the_same_offset_with_the_same_size(string cName, Type mirror)
    {
        KernelTestEnvironment.SkipUnlessObject();
        using var obj = TestObject.OpenOnly();
        var btf = obj.Btf;

        Assert.Equal(BtfLayout.SizeOf(btf, cName), Marshal.SizeOf(mirror));
        var members = BtfLayout.Members(btf, cName)!;
        Assert.NotEmpty(members);
        var checkedFields = 0;
        foreach (var member in Flatten(btf, members, 0))
        {
            var field = mirror.GetField(PascalCase(member.Name)) ?? throw new Xunit.Sdk.XunitException(
                $"struct {cName}.{member.Name} has no C# field {PascalCase(member.Name)} in {mirror.Name}");
            Assert.True(member.Offset == (int)Marshal.OffsetOf(mirror, field.Name),
                $"{cName}.{member.Name}: offset {member.Offset} in C, {Marshal.OffsetOf(mirror, field.Name)} in C#");
            Assert.True(member.Size == SizeOf(field.FieldType),
                $"{cName}.{member.Name}: {member.Size} bytes in C, {SizeOf(field.FieldType)} in C#");
            checkedFields++;
        }
        Assert.Equal(mirror.GetFields().Count(f => !f.IsStatic && !f.IsLiteral), checkedFields);
    }

    // Anonymous unions (the event payloads) contribute their members at the union's offset.
    private static IEnumerable<BtfField> Flatten(nint btf, IReadOnlyList<BtfField> members, int baseOffset)
    {
        foreach (var member in members)
        {
            if (member.Name.Length == 0 && BtfLayout.IsComposite(btf, member.TypeId, out _))
            {
                foreach (var inner in Flatten(btf, BtfLayout.Members(btf, member.TypeId), baseOffset + member.Offset)) yield return inner;
                continue;
            }
            yield return member with { Offset = baseOffset + member.Offset };
        }
    }

    private static int SizeOf(Type type) => Marshal.SizeOf(type.IsEnum ? Enum.GetUnderlyingType(type) : type);

    private static string PascalCase(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
