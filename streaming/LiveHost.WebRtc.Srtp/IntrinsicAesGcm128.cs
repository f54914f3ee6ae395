using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Aes = System.Runtime.Intrinsics.X86.Aes;

namespace LiveHost.WebRtc.Srtp;

/// <summary>
/// AES-128-GCM (NIST SP 800-38D) in process with AES-NI and PCLMULQDQ. Why not <see cref="System.Security.Cryptography.AesGcm"/>: on Linux each of
/// its calls crosses into OpenSSL several times (key/IV, AAD, update, final, tag), and every crossing clears OpenSSL's
/// error queue and looks up parameters by name; the fan-out profile (1,000 viewers, ~1,200-octet packets) spent
/// about a third of its user time there, several times the AES and GHASH work itself.
/// <para>
/// CTR: counter blocks are nonce || BE32(i), i from 2 (J0 = nonce || 1 encrypts the tag). Four blocks go through the
/// AES rounds together so the pipeline stays full. GHASH runs on byte-reversed blocks (Intel's carry-less
/// multiplication white paper, Gueron and Kounavis, algorithm 5): four ciphertext blocks are multiplied by H^4..H^1,
/// their 256-bit products summed, and reduced once.
/// </para>
/// </summary>
internal sealed class IntrinsicAesGcm128 : GcmCipher
{
    public const int KeyLength = 16;
    private const int Rounds = 10;

    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[Rounds + 1];
    private readonly Vector128<ulong> _h1;
    private readonly Vector128<ulong> _h2;
    private readonly Vector128<ulong> _h3;
    private readonly Vector128<ulong> _h4;

    public static bool IsSupported => Aes.IsSupported && Pclmulqdq.IsSupported && Ssse3.IsSupported && Sse2.IsSupported;

    public IntrinsicAesGcm128(ReadOnlySpan<byte> key)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("AES-NI and PCLMULQDQ are required");
        if (key.Length != KeyLength) throw new ArgumentException($"AES-128 takes a {KeyLength}-octet key, not {key.Length}", nameof(key));
        ExpandKey(Vector128.Create(key), _roundKeys);
        var h = Reverse(EncryptBlock(Vector128<byte>.Zero)).AsUInt64();
        _h1 = h;
        _h2 = Multiply(h, h);
        _h3 = Multiply(_h2, h);
        _h4 = Multiply(_h3, h);
    }

    // Fully optimized from the first call: at tier 0 these vector loops run several times slower, and a room's
    // first seconds of viewers would be encrypted by them (and a short benchmark window would measure them).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        var j0 = CounterBlock(nonce);
        var x = HashAad(aad);
        ref var data = ref MemoryMarshal.GetReference(text);
        var length = text.Length;
        var counter = 2u;
        var offset = 0;
        for (; offset + 64 <= length; offset += 64, counter += 4)
        {
            Keystream4(j0, counter, out var k0, out var k1, out var k2, out var k3);
            var c0 = Vector128.LoadUnsafe(ref data, (nuint)offset) ^ k0;
            var c1 = Vector128.LoadUnsafe(ref data, (nuint)offset + 16) ^ k1;
            var c2 = Vector128.LoadUnsafe(ref data, (nuint)offset + 32) ^ k2;
            var c3 = Vector128.LoadUnsafe(ref data, (nuint)offset + 48) ^ k3;
            c0.StoreUnsafe(ref data, (nuint)offset);
            c1.StoreUnsafe(ref data, (nuint)offset + 16);
            c2.StoreUnsafe(ref data, (nuint)offset + 32);
            c3.StoreUnsafe(ref data, (nuint)offset + 48);
            x = Hash4(x, c0, c1, c2, c3);
        }
        for (; offset < length; offset += 16, counter++)
        {
            var keystream = EncryptBlock(WithCounter(j0, counter));
            var block = text[offset..Math.Min(offset + 16, length)];
            var c = XorPartial(block, keystream);
            x = Multiply(x ^ Reverse(c).AsUInt64(), _h1);
        }
        WriteTag(j0, x, aad.Length, length, tag);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        var j0 = CounterBlock(nonce);
        // The tag is over the ciphertext: check it all before any of it is decrypted (nothing changes on a mismatch).
        var x = HashAad(aad);
        ref var data = ref MemoryMarshal.GetReference(text);
        var length = text.Length;
        var offset = 0;
        for (; offset + 64 <= length; offset += 64)
        {
            x = Hash4(x, Vector128.LoadUnsafe(ref data, (nuint)offset), Vector128.LoadUnsafe(ref data, (nuint)offset + 16),
                Vector128.LoadUnsafe(ref data, (nuint)offset + 32), Vector128.LoadUnsafe(ref data, (nuint)offset + 48));
        }
        for (; offset < length; offset += 16) x = Multiply(x ^ Reverse(LoadPartial(text[offset..Math.Min(offset + 16, length)])).AsUInt64(), _h1);
        Span<byte> expected = stackalloc byte[TagLength];
        WriteTag(j0, x, aad.Length, length, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag)) return false;

        var counter = 2u;
        offset = 0;
        for (; offset + 64 <= length; offset += 64, counter += 4)
        {
            Keystream4(j0, counter, out var k0, out var k1, out var k2, out var k3);
            (Vector128.LoadUnsafe(ref data, (nuint)offset) ^ k0).StoreUnsafe(ref data, (nuint)offset);
            (Vector128.LoadUnsafe(ref data, (nuint)offset + 16) ^ k1).StoreUnsafe(ref data, (nuint)offset + 16);
            (Vector128.LoadUnsafe(ref data, (nuint)offset + 32) ^ k2).StoreUnsafe(ref data, (nuint)offset + 32);
            (Vector128.LoadUnsafe(ref data, (nuint)offset + 48) ^ k3).StoreUnsafe(ref data, (nuint)offset + 48);
        }
        for (; offset < length; offset += 16, counter++) XorPartial(text[offset..Math.Min(offset + 16, length)], EncryptBlock(WithCounter(j0, counter)));
        return true;
    }

    public override void Dispose() => Array.Clear(_roundKeys);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<ulong> HashAad(ReadOnlySpan<byte> aad)
    {
        var x = Vector128<ulong>.Zero;
        for (var offset = 0; offset < aad.Length; offset += 16)
        {
            x = Multiply(x ^ Reverse(LoadPartial(aad[offset..Math.Min(offset + 16, aad.Length)])).AsUInt64(), _h1);
        }
        return x;
    }

    /// <summary>Tag = E(K, J0) XOR GHASH(..., len(A) || len(C)) (lengths in bits; in the reversed domain C's is the low half).</summary>
    private void WriteTag(Vector128<byte> j0, Vector128<ulong> x, int aadLength, int textLength, Span<byte> tag)
    {
        var lengths = Vector128.Create((ulong)textLength * 8, (ulong)aadLength * 8);
        x = Multiply(x ^ lengths, _h1);
        (Reverse(x.AsByte()) ^ EncryptBlock(j0)).CopyTo(tag);
    }

    private static Vector128<byte> CounterBlock(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceLength) throw new ArgumentException($"the nonce must be {NonceLength} octets", nameof(nonce));
        Span<byte> block = stackalloc byte[16];
        nonce.CopyTo(block);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], 1);
        return Vector128.Create((ReadOnlySpan<byte>)block);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> WithCounter(Vector128<byte> j0, uint counter) =>
        j0.AsUInt32().WithElement(3, BinaryPrimitives.ReverseEndianness(counter)).AsByte();

    /// <summary>XORs <paramref name="keystream"/> into a block of 1-16 octets in place; returns the result zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> XorPartial(Span<byte> block, Vector128<byte> keystream)
    {
        if (block.Length == 16)
        {
            var whole = Vector128.Create((ReadOnlySpan<byte>)block) ^ keystream;
            whole.CopyTo(block);
            return whole;
        }
        var result = LoadPartial(block) ^ keystream;
        Span<byte> padded = stackalloc byte[16];
        result.CopyTo(padded);
        padded[..block.Length].CopyTo(block);
        return LoadPartial(padded[..block.Length]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> LoadPartial(ReadOnlySpan<byte> block)
    {
        if (block.Length == 16) return Vector128.Create(block);
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        block.CopyTo(padded);
        return Vector128.Create((ReadOnlySpan<byte>)padded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        var keys = _roundKeys;
        block ^= keys[0];
        for (var r = 1; r < Rounds; r++) block = Aes.Encrypt(block, keys[r]);
        return Aes.EncryptLast(block, keys[Rounds]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Keystream4(Vector128<byte> j0, uint counter, out Vector128<byte> b0, out Vector128<byte> b1, out Vector128<byte> b2, out Vector128<byte> b3)
    {
        var keys = _roundKeys;
        var k = keys[0];
        b0 = WithCounter(j0, counter) ^ k;
        b1 = WithCounter(j0, counter + 1) ^ k;
        b2 = WithCounter(j0, counter + 2) ^ k;
        b3 = WithCounter(j0, counter + 3) ^ k;
        for (var r = 1; r < Rounds; r++)
        {
            k = keys[r];
            b0 = Aes.Encrypt(b0, k);
            b1 = Aes.Encrypt(b1, k);
            b2 = Aes.Encrypt(b2, k);
            b3 = Aes.Encrypt(b3, k);
        }
        k = keys[Rounds];
        b0 = Aes.EncryptLast(b0, k);
        b1 = Aes.EncryptLast(b1, k);
        b2 = Aes.EncryptLast(b2, k);
        b3 = Aes.EncryptLast(b3, k);
    }

    /// <summary>((x XOR c0)·H^4) XOR (c1·H^3) XOR (c2·H^2) XOR (c3·H), reduced once: four GHASH steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<ulong> Hash4(Vector128<ulong> x, Vector128<byte> c0, Vector128<byte> c1, Vector128<byte> c2, Vector128<byte> c3)
    {
        var lo = Vector128<ulong>.Zero;
        var mid = Vector128<ulong>.Zero;
        var hi = Vector128<ulong>.Zero;
        MultiplyAdd(x ^ Reverse(c0).AsUInt64(), _h4, ref lo, ref mid, ref hi);
        MultiplyAdd(Reverse(c1).AsUInt64(), _h3, ref lo, ref mid, ref hi);
        MultiplyAdd(Reverse(c2).AsUInt64(), _h2, ref lo, ref mid, ref hi);
        MultiplyAdd(Reverse(c3).AsUInt64(), _h1, ref lo, ref mid, ref hi);
        return Reduce(lo, mid, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Multiply(Vector128<ulong> a, Vector128<ulong> b)
    {
        var lo = Vector128<ulong>.Zero;
        var mid = Vector128<ulong>.Zero;
        var hi = Vector128<ulong>.Zero;
        MultiplyAdd(a, b, ref lo, ref mid, ref hi);
        return Reduce(lo, mid, hi);
    }

    /// <summary>Adds the unreduced 256-bit carry-less product a·b to (hi, mid, lo) (schoolbook, four multiplications).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(Vector128<ulong> a, Vector128<ulong> b, ref Vector128<ulong> lo, ref Vector128<ulong> mid, ref Vector128<ulong> hi)
    {
        lo ^= Pclmulqdq.CarrylessMultiply(a, b, 0x00);
        hi ^= Pclmulqdq.CarrylessMultiply(a, b, 0x11);
        mid ^= Pclmulqdq.CarrylessMultiply(a, b, 0x10) ^ Pclmulqdq.CarrylessMultiply(a, b, 0x01);
    }

    /// <summary>
    /// Folds the middle term in, shifts the 256-bit product left by one (the reversed domain's bit order) and reduces it
    /// modulo x^128 + x^7 + x^2 + x + 1 (the white paper's gfmul, after its multiplications).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reduce(Vector128<ulong> lo, Vector128<ulong> mid, Vector128<ulong> hi)
    {
        var l = (lo ^ Sse2.ShiftLeftLogical128BitLane(mid, 8)).AsUInt32();
        var h = (hi ^ Sse2.ShiftRightLogical128BitLane(mid, 8)).AsUInt32();

        var carryLo = Sse2.ShiftRightLogical(l, 31);
        var carryHi = Sse2.ShiftRightLogical(h, 31);
        l = Sse2.ShiftLeftLogical(l, 1);
        h = Sse2.ShiftLeftLogical(h, 1);
        var crossing = Sse2.ShiftRightLogical128BitLane(carryLo, 12);
        carryHi = Sse2.ShiftLeftLogical128BitLane(carryHi, 4);
        carryLo = Sse2.ShiftLeftLogical128BitLane(carryLo, 4);
        l |= carryLo;
        h |= carryHi | crossing;

        var a = Sse2.ShiftLeftLogical(l, 31) ^ Sse2.ShiftLeftLogical(l, 30) ^ Sse2.ShiftLeftLogical(l, 25);
        var b = Sse2.ShiftRightLogical128BitLane(a, 4);
        l ^= Sse2.ShiftLeftLogical128BitLane(a, 12);
        var c = Sse2.ShiftRightLogical(l, 1) ^ Sse2.ShiftRightLogical(l, 2) ^ Sse2.ShiftRightLogical(l, 7) ^ b;
        l ^= c;
        return (h ^ l).AsUInt64();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Reverse(Vector128<byte> block) =>
        Ssse3.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    /// <summary>The AES-128 key schedule (FIPS 197 5.2) with AESKEYGENASSIST; its round constant must be an immediate.</summary>
    private static void ExpandKey(Vector128<byte> key, Vector128<byte>[] keys)
    {
        keys[0] = key;
        keys[1] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x01));
        keys[2] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x02));
        keys[3] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x04));
        keys[4] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x08));
        keys[5] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x10));
        keys[6] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x20));
        keys[7] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x40));
        keys[8] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x80));
        keys[9] = key = ExpandStep(key, Aes.KeygenAssist(key, 0x1b));
        keys[10] = ExpandStep(key, Aes.KeygenAssist(key, 0x36));
    }

    private static Vector128<byte> ExpandStep(Vector128<byte> key, Vector128<byte> assist)
    {
        var word = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ word;
    }
}
