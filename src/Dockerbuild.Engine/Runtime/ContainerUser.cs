namespace Dockerbuild.Engine.Runtime;

/// <summary>The numeric identity a container process runs as.</summary>
public sealed record ContainerUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids)
{
    public static ContainerUser Root { get; } = new(0, 0, []);
}
