-- codeplan: applied whole

-- AlterTable
ALTER TABLE "payment_customers" ADD COLUMN     "method_type" TEXT NOT NULL DEFAULT 'card';
