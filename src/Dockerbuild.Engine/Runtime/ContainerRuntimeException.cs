namespace Dockerbuild.Engine.Runtime;

/// <summary>The OCI runtime failed before or around the container process (bad spec, missing binary, mount error).</summary>
public sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException(string message)
        : base(message)
    {
    }

    public ContainerRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
