namespace Dockerbuild.Oci.Storage;

/// <summary>No local image has that name, ID or digest.</summary>
public sealed class ImageNotFoundException(string reference)
    : Exception($"No such image: {reference}")
{
    public string Reference { get; } = reference;
}
