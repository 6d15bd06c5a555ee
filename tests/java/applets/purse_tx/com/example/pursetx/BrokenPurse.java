package com.example.pursetx;

/**
 * The Java twin of jcsim/samples/purse_tx BrokenPurse: the same writes without the transaction,
 * so a tear after the balance is written loses the amount.
 */
public class BrokenPurse extends Purse {
    protected BrokenPurse() {
    }

    public static void install(byte[] bArray, short bOffset, byte bLength) {
        new BrokenPurse().register(bArray, (short) (bOffset + 1), bArray[bOffset]);
    }

    void debit(short amount) {
        balance -= amount;
        amounts[count] = amount;
        count++;
    }
}
