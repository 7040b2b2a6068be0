namespace Dockerbuild.Publish;

/// <summary>One name of the image; Registry is empty when the image was not pushed.</summary>
public sealed record ProjectImageName(string Name, string Registry, string Repository, string Tag);
