namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>How concurrent builds share a cache mount.</summary>
public enum MountSharing
{
    Shared,
    Private,
    Locked,
}
