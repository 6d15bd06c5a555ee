// Java Card 3.0.5 Classic API: the public signature only. jcsim runs its Python implementation.
package javacardx.external;

public interface MemoryAccess {
    short readData(byte[] dest, short dest_off, byte[] auth_key, short auth_key_off, short auth_key_blen, short other_sector, short other_block, short other_len);
    boolean writeData(byte[] src, short src_off, short src_blen, byte[] auth_key, short auth_key_off, short auth_key_blen, short other_sector, short other_block);
}
