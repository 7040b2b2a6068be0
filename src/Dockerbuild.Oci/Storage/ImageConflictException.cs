namespace Dockerbuild.Oci.Storage;

/// <summary>A removal that docker refuses without <c>-f</c>, or an ambiguous short ID.</summary>
public sealed class ImageConflictException(string message) : Exception(message);
