namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// One range of a rootless container's user namespace: container ids [ContainerUid, +Size) are host
/// ids [HostUid, +Size), and the same for groups. Ranges beyond the caller's own id need newuidmap
/// and newgidmap (uidmap package) with /etc/subuid and /etc/subgid entries.
/// </summary>
public sealed record IdMapping(uint ContainerUid, uint HostUid, uint ContainerGid, uint HostGid, uint Size);
