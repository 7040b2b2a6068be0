namespace Dockerbuild.Oci.Registry;

/// <summary>A registry operation failed in a way the user can act on; the message is one line and holds no secret.</summary>
public class RegistryException : Exception
{
    public RegistryException(string registry, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Registry = registry;
    }

    public string Registry { get; }
}
