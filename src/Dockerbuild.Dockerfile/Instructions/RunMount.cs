namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// One <c>RUN --mount=...</c>. String options are kept as written (the engine expands them); typed options
/// are parsed at bind time unless they hold a variable, in which case <see cref="Spec"/> is parsed again
/// with the build's values (<see cref="RunMounts.Parse"/> with an expander).
/// </summary>
/// <param name="Spec">The flag value as written, e.g. <c>type=cache,target=/root/.cache</c>.</param>
/// <param name="ReadOnly">Bind, secret and ssh mounts default to read-only; cache and tmpfs to read-write.</param>
/// <param name="Id">Cache id, or the secret / ssh id.</param>
/// <param name="SizeBytes">tmpfs size limit.</param>
/// <param name="Env">Secret: the environment variable that receives the secret.</param>
public sealed record RunMount(
    string Spec,
    MountType Type,
    string? Target,
    string? Source,
    string? From,
    bool ReadOnly,
    string? Id,
    MountSharing? Sharing,
    uint? Mode,
    uint? Uid,
    uint? Gid,
    long? SizeBytes,
    bool Required,
    string? Env);
