namespace Dockerbuild.Engine.Runtime;

/// <summary>How a container process ended: its exit status, or 128 + the signal that killed it.</summary>
public sealed record ContainerResult(int ExitCode)
{
    public bool Succeeded => ExitCode == 0;
}
